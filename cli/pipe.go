package cli

import (
	"fmt"
	"regexp"
	"strings"
)

// PipeKind is an output modifier.
type PipeKind string

// The IOS output modifiers.
const (
	PipeBegin   PipeKind = "begin"
	PipeCount   PipeKind = "count"
	PipeExclude PipeKind = "exclude"
	PipeInclude PipeKind = "include"
	PipeSection PipeKind = "section"
)

// PipeSpec is a parsed "| modifier REGEX".
type PipeSpec struct {
	Kind PipeKind
	Re   *regexp.Regexp
}

func (in *Interpreter) definePipe() {
	mods := []struct {
		kind PipeKind
		help string
	}{
		{PipeBegin, "Begin with the line that matches"},
		{PipeCount, "Count number of lines which match regexp"},
		{PipeExclude, "Exclude lines that match"},
		{PipeInclude, "Include lines that match"},
		{PipeSection, "Filter a section of output"},
	}
	for _, m := range mods {
		in.pipe.Define(Command{
			Syntax: string(m.kind) + " LINE$regex",
			Help:   map[string]string{string(m.kind): m.help, "regex": "Regular Expression"},
			Run:    func(*Ctx, Args) error { return nil },
		})
	}
}

func newPipeSpec(a Args, line string) (*PipeSpec, *MatchError) {
	var kind PipeKind
	for _, k := range []PipeKind{PipeBegin, PipeCount, PipeExclude, PipeInclude, PipeSection} {
		if a.Has(string(k)) {
			kind = k
		}
	}
	expr := a.Get("regex")
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, &MatchError{Kind: ErrInvalid, Pos: strings.LastIndex(line, expr), Line: line}
	}
	return &PipeSpec{Kind: kind, Re: re}, nil
}

// Apply filters command output through the modifier.
func (p *PipeSpec) Apply(out string) string {
	lines := strings.SplitAfter(out, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	match := func(l string) bool { return p.Re.MatchString(strings.TrimRight(l, "\n")) }
	var b strings.Builder
	switch p.Kind {
	case PipeInclude, PipeExclude:
		for _, l := range lines {
			if match(l) == (p.Kind == PipeInclude) {
				b.WriteString(l)
			}
		}
	case PipeBegin:
		for i, l := range lines {
			if match(l) {
				b.WriteString(strings.Join(lines[i:], ""))
				break
			}
		}
	case PipeCount:
		n := 0
		for _, l := range lines {
			if match(l) {
				n++
			}
		}
		fmt.Fprintf(&b, "Number of lines which match regexp = %d\n", n)
	case PipeSection:
		// A section is an unindented line and the indented lines after it;
		// a section with any matching line is printed whole.
		for i := 0; i < len(lines); {
			j := i + 1
			for j < len(lines) && strings.HasPrefix(lines[j], " ") {
				j++
			}
			for _, l := range lines[i:j] {
				if match(l) {
					b.WriteString(strings.Join(lines[i:j], ""))
					break
				}
			}
			i = j
		}
	}
	s := b.String()
	if s != "" && !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return s
}
