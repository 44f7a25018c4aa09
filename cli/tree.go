package cli

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// Handler runs a matched command. An error is printed to the user and marks the
// command as failed (swcli -c exits non-zero, swcfgload reports the line).
type Handler func(c *Ctx, a Args) error

// Command is one declared command of a mode.
type Command struct {
	// Syntax in the command-definition language (see the package doc).
	Syntax string
	// Help gives the `?` text of tokens, keyed by keyword, placeholder or $name.
	// Tokens without an entry take the interpreter's shared help (SetHelp).
	Help map[string]string
	// Priv is the lowest privilege level that sees and runs the command.
	Priv int
	// Class, when not zero, restricts the command to sessions whose mode class
	// (Session.Class, e.g. the kind of interface being configured) shares a bit.
	Class uint32
	// Hidden commands run but are not offered by `?` or TAB (legacy spellings).
	Hidden bool
	// Pipe lets the output go through modifiers (`| include ...`).
	Pipe bool
	// Unlocked handlers run without the interpreter's lock (they take it
	// themselves around state changes), for commands that talk at length.
	Unlocked bool
	// Run is the handler.
	Run Handler
	// Doc, if set, describes the command in generated documentation, where
	// the help of its keywords would not.
	Doc string
}

// node is a vertex of a mode's grammar tree.
type node struct {
	keyword  string     // as displayed; "" for placeholders
	lower    string     // keyword in lower case
	typ      *ParamType // placeholders only
	name     string     // Args key
	help     string
	children []*node
	cmds     []*Command // commands that can run when the line ends here
	vis      []visibility
	jump     *Mode // children are those of another mode's root ("do")
}

type visibility struct {
	priv   int
	class  uint32
	hidden bool
}

// filter is what decides which commands a session sees.
type filter struct {
	level int
	class uint32
}

func (v visibility) allows(f filter, listing bool) bool {
	if listing && v.hidden {
		return false
	}
	return f.level >= v.priv && (v.class == 0 || v.class&f.class != 0)
}

// visible reports whether any command through n is allowed for the filter.
func (n *node) visible(f filter, listing bool) bool {
	if n.jump != nil && !n.jump.root.visible(f, listing) {
		return false
	}
	for _, v := range n.vis {
		if v.allows(f, listing) {
			return true
		}
	}
	return false
}

func (n *node) kids() []*node {
	if n.jump != nil {
		return n.jump.root.children
	}
	return n.children
}

// runnable returns the first command that can run at n for the filter.
func (n *node) runnable(f filter) *Command {
	for _, c := range n.cmds {
		if (visibility{c.Priv, c.Class, false}).allows(f, false) {
			return c
		}
	}
	return nil
}

func (n *node) addVis(v visibility) {
	for _, have := range n.vis {
		if have == v {
			return
		}
	}
	n.vis = append(n.vis, v)
}

// displayName is what `?` and error messages show for the node.
func (n *node) displayName() string {
	if n.typ != nil {
		return n.typ.Name
	}
	return n.keyword
}

// Mode is one command mode (exec, config, config-if, ...).
type Mode struct {
	// Name identifies the mode ("exec", "config", "config-if").
	Name string
	// Prompt is inserted between hostname and the privilege character,
	// e.g. "(config-if)". Empty for exec.
	Prompt string
	// Parent is where `exit` goes and where a line that does not match this
	// mode is tried next (IOS "walkup"); nil for exec and config.
	Parent *Mode
	// Config marks configuration modes (Ctrl-Z and `end` leave them).
	Config bool
	// HelpTitle heads the list `?` gives on an empty line, as IOS's
	// "Exec commands:"; empty for none.
	HelpTitle string
	// PromptOf, when set, gives the prompt for the session's state instead
	// of Prompt (IOS's "(config-if-range)" for several interfaces at once).
	PromptOf func(state any) string
	// Around, when set, runs every command of the mode: it calls run once,
	// or once per member of a state that stands for several (interface
	// range), or not at all.
	Around func(c *Ctx, cmd *Command, run func() error) error

	in   *Interpreter
	root *node
}

// Define adds a command to the mode. The grammar is program data, so an invalid
// definition panics with the reason; tests build every grammar.
func (m *Mode) Define(c Command) *Command {
	cmd := c
	if cmd.Priv == 0 {
		cmd.Priv = 1
	}
	seqs, err := parseSyntax(cmd.Syntax, m.in.isParam)
	if err != nil {
		panic(fmt.Sprintf("cli: mode %s: %v", m.Name, err))
	}
	vis := visibility{cmd.Priv, cmd.Class, cmd.Hidden}
	for _, seq := range seqs {
		n := m.root
		n.addVis(vis)
		for i, t := range seq {
			child, err := m.child(n, t, &cmd)
			if err != nil {
				panic(fmt.Sprintf("cli: mode %s: syntax %q: %v", m.Name, cmd.Syntax, err))
			}
			if child.typ != nil && child.typ.Rest && i != len(seq)-1 {
				panic(fmt.Sprintf("cli: mode %s: syntax %q: %s must be last", m.Name, cmd.Syntax, t.text))
			}
			child.addVis(vis)
			n = child
		}
		n.cmds = append(n.cmds, &cmd)
	}
	return &cmd
}

// DefineJump adds a keyword whose continuation is the whole grammar of another
// mode, as `do` reaches exec commands from configuration modes.
func (m *Mode) DefineJump(keyword, help string, target *Mode) {
	for _, c := range m.root.children {
		if c.lower == strings.ToLower(keyword) {
			panic(fmt.Sprintf("cli: mode %s: %q already defined", m.Name, keyword))
		}
	}
	n := &node{keyword: keyword, lower: strings.ToLower(keyword), name: strings.ToLower(keyword), help: help, jump: target}
	n.addVis(visibility{priv: 1})
	m.root.addVis(visibility{priv: 1})
	m.root.children = append(m.root.children, n)
}

// child finds or creates the child of n for token t.
func (m *Mode) child(n *node, t synToken, cmd *Command) (*node, error) {
	help := cmd.Help[t.text]
	if t.explicit && cmd.Help[t.name] != "" {
		help = cmd.Help[t.name]
	}
	for _, c := range n.children {
		same := t.keyword && c.typ == nil && c.lower == strings.ToLower(t.text) ||
			!t.keyword && c.typ != nil && c.typ.Name == t.text
		if !same {
			continue
		}
		if c.name != t.name {
			return nil, fmt.Errorf("%s is named %q elsewhere, %q here", t.text, c.name, t.name)
		}
		if c.help == "" {
			c.help = help
		}
		return c, nil
	}
	c := &node{name: t.name, help: help}
	if t.keyword {
		if strings.ToLower(t.text) != t.text && !hasUpperInitial(t.text) {
			return nil, fmt.Errorf("keyword %q: unknown placeholder type", t.text)
		}
		c.keyword = t.text
		c.lower = strings.ToLower(t.text)
	} else {
		c.typ = m.in.typeFor(t.text)
	}
	if c.help == "" {
		c.help = m.in.help[t.text]
		if c.help == "" && c.typ != nil {
			c.help = c.typ.Help
		}
	}
	n.children = append(n.children, c)
	return c, nil
}

// hasUpperInitial accepts capitalised keywords such as "Ethernet" while an
// all-capitals word that is not a registered type is a definition error.
func hasUpperInitial(s string) bool {
	for i, r := range s {
		if i > 0 && unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// Interpreter holds the modes, placeholder types and shared help of a command
// language.
type Interpreter struct {
	types map[string]*ParamType
	help  map[string]string
	modes map[string]*Mode
	pipe  *Mode
}

// NewInterpreter returns an interpreter with the built-in placeholder types and
// the output-modifier grammar.
func NewInterpreter() *Interpreter {
	in := &Interpreter{types: map[string]*ParamType{}, help: map[string]string{}, modes: map[string]*Mode{}}
	for _, t := range []*ParamType{wordType(), lineType(), macType(), ipv4Type(), ipv6Type(), ipv6PrefixType()} {
		in.types[t.Name] = t
	}
	in.pipe = &Mode{Name: "pipe", in: in, root: &node{}}
	in.definePipe()
	return in
}

// RegisterType adds a placeholder type usable in syntax strings.
func (in *Interpreter) RegisterType(t *ParamType) {
	if t.Name == "" || t.Accept == nil || t.Prefix == nil {
		panic("cli: incomplete ParamType " + t.Name)
	}
	in.types[t.Name] = t
}

// SetHelp sets the shared `?` text of a keyword or placeholder, used where a
// command does not give its own.
func (in *Interpreter) SetHelp(token, help string) { in.help[token] = help }

// NewMode creates a mode.
func (in *Interpreter) NewMode(name, prompt string, parent *Mode, config bool) *Mode {
	if _, dup := in.modes[name]; dup {
		panic("cli: duplicate mode " + name)
	}
	m := &Mode{Name: name, Prompt: prompt, Parent: parent, Config: config, in: in, root: &node{}}
	in.modes[name] = m
	return m
}

// Mode returns a mode by name, or nil.
func (in *Interpreter) Mode(name string) *Mode { return in.modes[name] }

func (in *Interpreter) isParam(w string) bool {
	return in.typeFor(w) != nil
}

func (in *Interpreter) typeFor(w string) *ParamType {
	if t := in.types[w]; t != nil {
		return t
	}
	if t := rangeType(w); t != nil {
		in.types[w] = t
		return t
	}
	return nil
}

// CheckHelp lists tokens that have no `?` text, so tests can insist on it.
func (in *Interpreter) CheckHelp() []string {
	var missing []string
	var walk func(m *Mode, n *node, path string)
	walk = func(m *Mode, n *node, path string) {
		for _, c := range n.children {
			p := strings.TrimSpace(path + " " + c.displayName())
			if c.help == "" {
				missing = append(missing, m.Name+": "+p)
			}
			walk(m, c, p)
		}
	}
	names := make([]string, 0, len(in.modes))
	for name := range in.modes {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		walk(in.modes[name], in.modes[name].root, "")
	}
	return missing
}

// Commands lists every command of a mode visible at a level, for generated docs.
func (m *Mode) Commands(level int) []*Command {
	seen := map[*Command]bool{}
	var out []*Command
	var walk func(n *node)
	walk = func(n *node) {
		for _, c := range n.cmds {
			if !seen[c] && !c.Hidden && c.Priv <= level {
				seen[c] = true
				out = append(out, c)
			}
		}
		for _, k := range n.children {
			walk(k)
		}
	}
	walk(m.root)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Syntax < out[j].Syntax })
	return out
}

// HelpOf returns the `?` text the tree holds for a command's keyword path, for
// generated docs ("show vlan brief" -> help of "brief").
func (m *Mode) HelpOf(path ...string) string {
	n := m.root
	for _, p := range path {
		var next *node
		for _, c := range n.children {
			if c.displayName() == p || c.lower == strings.ToLower(p) {
				next = c
				break
			}
		}
		if next == nil {
			return ""
		}
		n = next
	}
	return n.help
}
