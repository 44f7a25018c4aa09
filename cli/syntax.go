package cli

import (
	"fmt"
	"strings"
)

// synToken is one word of a syntax string after parsing: a keyword or a
// placeholder, with the name its value is stored under in Args.
type synToken struct {
	text     string // as written: "address-table", "<1-4094>", "WORD"
	name     string // Args key: explicit $name, else the keyword itself / preceding keyword
	explicit bool   // name came from $name
	keyword  bool
}

// synItem is one element of a sequence: a token, or a group of alternatives.
type synItem struct {
	tok      *synToken
	alts     [][]synItem
	optional bool
}

// parseSyntax turns a syntax string into its list of concrete token sequences.
// isParam reports whether a word is a placeholder rather than a keyword.
func parseSyntax(syntax string, isParam func(string) bool) ([][]synToken, error) {
	words := lexSyntax(syntax)
	p := &synParser{words: words, isParam: isParam}
	seq, err := p.seq()
	if err != nil {
		return nil, fmt.Errorf("syntax %q: %w", syntax, err)
	}
	if p.pos != len(p.words) {
		return nil, fmt.Errorf("syntax %q: unexpected %q", syntax, p.words[p.pos])
	}
	out := expandSeq(seq)
	for _, s := range out {
		nameParams(s)
	}
	return out, nil
}

// lexSyntax splits on spaces and makes brackets, braces and bars words of their own.
func lexSyntax(s string) []string {
	var words []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, cur.String())
			cur.Reset()
		}
	}
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n':
			flush()
		case '[', ']', '{', '}', '|':
			flush()
			words = append(words, string(r))
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return words
}

type synParser struct {
	words   []string
	pos     int
	isParam func(string) bool
}

func (p *synParser) peek() string {
	if p.pos < len(p.words) {
		return p.words[p.pos]
	}
	return ""
}

func (p *synParser) seq() ([]synItem, error) {
	var items []synItem
	for p.pos < len(p.words) {
		w := p.peek()
		switch w {
		case "]", "}", "|":
			return items, nil
		case "[", "{":
			p.pos++
			closer := map[string]string{"[": "]", "{": "}"}[w]
			alts, err := p.alts(closer)
			if err != nil {
				return nil, err
			}
			items = append(items, synItem{alts: alts, optional: w == "["})
		default:
			p.pos++
			text, name, _ := strings.Cut(w, "$")
			if text == "" {
				return nil, fmt.Errorf("empty token in %q", w)
			}
			items = append(items, synItem{tok: &synToken{text: text, name: name, explicit: name != "", keyword: !p.isParam(text)}})
		}
	}
	return items, nil
}

func (p *synParser) alts(closer string) ([][]synItem, error) {
	var alts [][]synItem
	for {
		s, err := p.seq()
		if err != nil {
			return nil, err
		}
		if len(s) == 0 {
			return nil, fmt.Errorf("empty alternative")
		}
		alts = append(alts, s)
		switch p.peek() {
		case "|":
			p.pos++
		case closer:
			p.pos++
			return alts, nil
		default:
			return nil, fmt.Errorf("missing %q", closer)
		}
	}
}

// expandSeq returns every concrete token sequence a parsed sequence stands for.
func expandSeq(items []synItem) [][]synToken {
	out := [][]synToken{nil}
	for _, it := range items {
		var choices [][]synToken
		if it.tok != nil {
			choices = [][]synToken{{*it.tok}}
		} else {
			if it.optional {
				choices = append(choices, nil)
			}
			for _, alt := range it.alts {
				choices = append(choices, expandSeq(alt)...)
			}
		}
		next := make([][]synToken, 0, len(out)*len(choices))
		for _, prefix := range out {
			for _, c := range choices {
				s := make([]synToken, 0, len(prefix)+len(c))
				s = append(append(s, prefix...), c...)
				next = append(next, s)
			}
		}
		out = next
	}
	return out
}

// nameParams gives every token its Args key: keywords are stored under
// themselves, placeholders under the keyword that precedes them.
func nameParams(seq []synToken) {
	last := ""
	for i := range seq {
		t := &seq[i]
		if t.keyword {
			if t.name == "" {
				t.name = strings.ToLower(t.text)
			}
			last = strings.ToLower(t.text)
			continue
		}
		if t.name == "" {
			if last != "" {
				t.name = last
			} else {
				t.name = t.text
			}
		}
	}
}
