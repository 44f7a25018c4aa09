package cli

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// ErrKind says why a line did not match.
type ErrKind int

const (
	// ErrInvalid: a token matched nothing; Pos is where the caret goes.
	ErrInvalid ErrKind = iota + 1
	// ErrIncomplete: the line ended before a runnable command.
	ErrIncomplete
	// ErrAmbiguous: a token is a prefix of several keywords.
	ErrAmbiguous
)

// MatchError is a line the grammar rejected.
type MatchError struct {
	Kind ErrKind
	Pos  int    // byte offset in Line of the first wrong character (ErrInvalid)
	Line string // the input line
	// Hint, if set, replaces the message of an ErrIncomplete.
	Hint string
}

func (e *MatchError) Error() string {
	switch e.Kind {
	case ErrIncomplete:
		if e.Hint != "" {
			return e.Hint
		}
		return "% Incomplete command."
	case ErrAmbiguous:
		return "% Ambiguous command:  \"" + e.Line + "\""
	default:
		return "% Invalid input detected at '^' marker."
	}
}

// progress is how much of the line was understood before the error.
func (e *MatchError) progress() int {
	if e.Kind == ErrInvalid {
		return e.Pos
	}
	return len(e.Line)
}

// Render returns the message as IOS prints it after the echoed line; indent is
// the width of what precedes the line on screen (the prompt), so the caret
// lands under the wrong character.
func (e *MatchError) Render(indent int) string {
	switch e.Kind {
	case ErrInvalid:
		return strings.Repeat(" ", indent+e.Pos) + "^\n" + e.Error() + "\n\n"
	case ErrIncomplete:
		if e.Hint != "" {
			return e.Hint + "\n"
		}
		return e.Error() + "\n\n"
	default:
		return e.Error() + "\n"
	}
}

// token is a word of an input line with its position.
type token struct {
	text       string
	start, end int
}

func tokenize(line string) []token {
	var toks []token
	i := 0
	for i < len(line) {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i >= len(line) {
			break
		}
		start := i
		for i < len(line) && line[i] != ' ' && line[i] != '\t' {
			i++
		}
		toks = append(toks, token{line[start:i], start, i})
	}
	return toks
}

// Args are the values of a matched command line.
type Args struct {
	keywords map[string]bool
	values   map[string]string
}

// Has reports whether a keyword (or a $named token) is on the line.
func (a Args) Has(keyword string) bool { return a.keywords[keyword] }

// Get returns a placeholder's value ("" when absent).
func (a Args) Get(name string) string { return a.values[name] }

// Lookup returns a placeholder's value and whether it was given.
func (a Args) Lookup(name string) (string, bool) {
	v, ok := a.values[name]
	return v, ok
}

// Int returns a numeric placeholder's value (0 when absent).
func (a Args) Int(name string) int {
	v, _ := strconv.Atoi(a.values[name])
	return v
}

func (a *Args) set(n *node, value string) {
	if n.typ == nil {
		if a.keywords == nil {
			a.keywords = map[string]bool{}
		}
		a.keywords[n.name] = true
		return
	}
	if a.values == nil {
		a.values = map[string]string{}
	}
	a.values[n.name] = value
}

// Match is a resolved command line.
type Match struct {
	Cmd  *Command
	Args Args
	// Pipe is the output modifier, if the line has "| ...".
	Pipe *PipeSpec
	// Jumped is true when the command came through a jump ("do").
	Jumped bool
}

// pick chooses the child of n that token tok selects.
func pick(n *node, tok string, f filter) (chosen *node, ambiguous bool) {
	ltok := strings.ToLower(tok)
	var partial, hiddenPartial []*node
	var best *node
	for _, c := range n.kids() {
		if !c.visible(f, false) {
			continue
		}
		if c.typ == nil {
			if c.lower == ltok {
				return c, false
			}
			if strings.HasPrefix(c.lower, ltok) {
				if c.visible(f, true) {
					partial = append(partial, c)
				} else {
					hiddenPartial = append(hiddenPartial, c)
				}
			}
			continue
		}
		if c.typ.Accept(tok) && (best == nil || c.typ.Rank > best.typ.Rank) {
			best = c
		}
	}
	switch {
	case len(partial) == 1:
		return partial[0], false
	case len(partial) > 1:
		return nil, true
	case best != nil:
		return best, false
	case len(hiddenPartial) == 1:
		return hiddenPartial[0], false
	case len(hiddenPartial) > 1:
		return nil, true
	}
	return nil, false
}

// caretOffset is how much of a rejected token was still acceptable to some child.
func caretOffset(n *node, tok string, f filter) int {
	best := 0
	ltok := strings.ToLower(tok)
	for _, c := range n.kids() {
		if !c.visible(f, true) {
			continue
		}
		var k int
		if c.typ == nil {
			for k < len(ltok) && k < len(c.lower) && ltok[k] == c.lower[k] {
				k++
			}
		} else {
			k = c.typ.Prefix(tok)
		}
		if k > best {
			best = k
		}
	}
	if best >= len(tok) && len(tok) > 0 {
		best = len(tok) - 1
	}
	return best
}

// walkState is the outcome of walking the tokens of a line through a tree.
type walkState struct {
	node *node
	args Args
	// When the walk went through "|", the command before it; node and args
	// then belong to the output-modifier grammar.
	mainNode *node
	mainArgs Args
	pipe     bool
	jumped   bool
	rest     bool // the last node took the rest of the line
	err      *MatchError
}

// walk consumes toks from root. It stops at the first error.
func (in *Interpreter) walk(line string, toks []token, root *node, f filter) walkState {
	st := walkState{node: root}
	for _, t := range toks {
		// A standalone "|" after a complete pipeable command starts the
		// modifiers; anywhere else it is an ordinary token.
		if t.text == "|" && !st.pipe {
			if cmd := st.node.runnable(f); cmd != nil && cmd.Pipe {
				st.mainNode, st.mainArgs = st.node, st.args
				st.node, st.args, st.pipe = in.pipe.root, Args{}, true
				continue
			}
		}
		next, amb := pick(st.node, t.text, f)
		if amb {
			st.err = &MatchError{Kind: ErrAmbiguous, Line: line}
			return st
		}
		if next == nil {
			st.err = &MatchError{Kind: ErrInvalid, Pos: t.start + caretOffset(st.node, t.text, f), Line: line}
			return st
		}
		if st.node.jump != nil {
			st.jumped = true
		}
		st.node = next
		if next.typ != nil && next.typ.Rest {
			st.args.set(next, strings.TrimRight(line[t.start:], " \t"))
			st.rest = true
			return st
		}
		st.args.set(next, t.text)
	}
	return st
}

// resolve matches a complete line in a mode for a session filter. An empty
// line gives (nil, nil).
func (in *Interpreter) resolve(m *Mode, line string, f filter) (*Match, *MatchError) {
	toks := tokenize(line)
	if len(toks) == 0 {
		return nil, nil
	}
	st := in.walk(line, toks, m.root, f)
	if st.err != nil {
		return nil, st.err
	}
	mainNode, mainArgs := st.node, st.args
	var spec *PipeSpec
	if st.pipe {
		mainNode, mainArgs = st.mainNode, st.mainArgs
		if st.node.runnable(f) == nil {
			return nil, &MatchError{Kind: ErrIncomplete, Line: line}
		}
		var err *MatchError
		if spec, err = newPipeSpec(st.args, line); err != nil {
			return nil, err
		}
	}
	cmd := mainNode.runnable(f)
	if cmd == nil {
		me := &MatchError{Kind: ErrIncomplete, Line: line}
		// IOS answers a bare "show" (or "do show") with a hint.
		if mainNode.lower == "show" && !st.pipe && (len(toks) == 1 || len(toks) == 2 && st.jumped) {
			me.Hint = `% Type "show ?" for a list of subcommands`
		}
		return nil, me
	}
	return &Match{Cmd: cmd, Args: mainArgs, Pipe: spec, Jumped: st.jumped}, nil
}

// helpRow is one line of `?` output.
type helpRow struct{ name, help string }

// Help answers `?` typed after line (the text before the cursor). It returns
// the text to print, without the redisplayed line.
func (in *Interpreter) Help(m *Mode, line string, level int, class uint32) string {
	f := filter{level, class}
	toks := tokenize(line)
	partial := len(line) > 0 && line[len(line)-1] != ' ' && line[len(line)-1] != '\t'
	var last token
	if partial && len(toks) > 0 {
		last = toks[len(toks)-1]
		toks = toks[:len(toks)-1]
	}
	st := in.walk(line, toks, m.root, f)
	if st.err != nil {
		if st.err.Kind == ErrAmbiguous {
			return st.err.Error() + "\n"
		}
		return "% Unrecognized command\n"
	}
	if st.rest {
		// Inside a LINE argument: more text or the end.
		if partial {
			return st.node.displayName() + "\n\n"
		}
		return "  <cr>\n\n"
	}
	n := st.node
	// After a complete pipeable command, "|" is offered too.
	pipeable := false
	if c := n.runnable(f); c != nil && c.Pipe && !st.pipe {
		pipeable = true
	}
	if partial {
		if last.text == "|" && pipeable {
			return "|\n\n"
		}
		var names []string
		ltok := strings.ToLower(last.text)
		for _, c := range n.kids() {
			if !c.visible(f, true) {
				continue
			}
			if c.typ == nil && strings.HasPrefix(c.lower, ltok) ||
				c.typ != nil && (c.typ.Accept(last.text) || c.typ.Prefix(last.text) == len(last.text)) {
				names = append(names, c.displayName())
			}
		}
		if len(names) == 0 {
			return "% Unrecognized command\n"
		}
		sortNames(names)
		return strings.Join(names, "  ") + "\n\n"
	}
	var rows []helpRow
	var params []helpRow
	for _, c := range n.kids() {
		if !c.visible(f, true) {
			continue
		}
		r := helpRow{c.displayName(), c.help}
		if c.typ != nil {
			params = append(params, r)
		} else {
			rows = append(rows, r)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return strings.ToLower(rows[i].name) < strings.ToLower(rows[j].name) })
	rows = append(params, rows...)
	if pipeable {
		rows = append(rows, helpRow{"|", "Output modifiers"})
	}
	if n.runnable(f) != nil && n != m.root {
		rows = append(rows, helpRow{"<cr>", ""})
	}
	if len(rows) == 0 {
		return "% Unrecognized command\n"
	}
	if n == m.root && len(toks) == 0 && m.HelpTitle != "" {
		return m.HelpTitle + "\n" + formatHelp(rows)
	}
	return formatHelp(rows)
}

func sortNames(names []string) {
	sort.SliceStable(names, func(i, j int) bool {
		pi, pj := isPlaceholder(names[i]), isPlaceholder(names[j])
		if pi != pj {
			return pi
		}
		return strings.ToLower(names[i]) < strings.ToLower(names[j])
	})
}

func isPlaceholder(s string) bool {
	return strings.HasPrefix(s, "<") || strings.ToUpper(s) == s && strings.ContainsAny(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
}

func formatHelp(rows []helpRow) string {
	width := 0
	for _, r := range rows {
		if r.help != "" && len(r.name) > width {
			width = len(r.name)
		}
	}
	var b strings.Builder
	for _, r := range rows {
		if r.help == "" {
			b.WriteString("  " + r.name + "\n")
			continue
		}
		fmt.Fprintf(&b, "  %-*s  %s\n", width, r.name, r.help)
	}
	b.WriteString("\n")
	return b.String()
}

// Complete answers TAB: the text to insert after the cursor, or ok=false to
// ring the bell. Only a keyword that is the sole candidate is completed.
func (in *Interpreter) Complete(m *Mode, line string, level int, class uint32) (insert string, ok bool) {
	f := filter{level, class}
	if line == "" || line[len(line)-1] == ' ' || line[len(line)-1] == '\t' {
		return "", false
	}
	toks := tokenize(line)
	last := toks[len(toks)-1]
	st := in.walk(line, toks[:len(toks)-1], m.root, f)
	if st.err != nil || st.rest {
		return "", false
	}
	if last.text == "|" {
		if c := st.node.runnable(f); c != nil && c.Pipe && !st.pipe {
			return " ", true
		}
	}
	ltok := strings.ToLower(last.text)
	var cand []*node
	for _, c := range st.node.kids() {
		if c.typ == nil && c.visible(f, true) && strings.HasPrefix(c.lower, ltok) {
			if c.lower == ltok {
				cand = []*node{c}
				break
			}
			cand = append(cand, c)
		}
	}
	if len(cand) != 1 {
		return "", false
	}
	return cand[0].keyword[len(last.text):] + " ", true
}
