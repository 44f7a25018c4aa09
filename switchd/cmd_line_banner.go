package switchd

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxBannerLen bounds a banner's text, in bytes.
const maxBannerLen = 4096

// banner is a banner's text and the delimiter it was entered with (used to
// write it back when the text contains "^C").
type banner struct {
	text  string
	delim string
}

// bannerParser reads a banner the IOS way: the first character after
// "banner motd" is the delimiter (or the two characters "^C", as IOS writes
// its configurations); the text runs to the next delimiter, over as many
// lines as it takes; whatever follows the closing delimiter on its line is
// ignored.
type bannerParser struct {
	delim    string
	text     strings.Builder
	done     bool
	tooLong  bool
	lines    int
	sawFirst bool
}

// newBannerParser starts a banner from the argument of "banner motd" (the
// rest of the command line).
func newBannerParser(arg string) (*bannerParser, error) {
	arg = strings.TrimLeft(arg, " \t")
	if arg == "" {
		return nil, fmt.Errorf("%% Incomplete command.")
	}
	p := &bannerParser{}
	if strings.HasPrefix(arg, "^C") {
		p.delim = "^C"
	} else {
		r, size := utf8.DecodeRuneInString(arg)
		if r == utf8.RuneError || r < 0x21 || r >= 0x7f && r < 0xa0 {
			return nil, fmt.Errorf("%% Invalid delimiter %q", arg[:size])
		}
		p.delim = arg[:size]
	}
	p.feed(arg[len(p.delim):])
	return p, nil
}

// feed adds the next line of input; it reports whether the closing
// delimiter was in it.
func (p *bannerParser) feed(line string) bool {
	if p.done {
		return true
	}
	if p.sawFirst {
		p.lines++
	}
	p.sawFirst = true
	// Control characters go first, so that none can hide a delimiter.
	line = cleanBannerText(line)
	end := strings.Index(line, p.delim)
	if end >= 0 {
		line = line[:end]
	}
	// Trailing blanks go too: configuration files do not keep them.
	p.add(strings.TrimRightFunc(line, unicode.IsSpace))
	if end >= 0 {
		p.done = true
		return true
	}
	p.add("\n")
	return false
}

func (p *bannerParser) add(s string) {
	if p.text.Len()+len(s) > maxBannerLen {
		p.tooLong = true
		return
	}
	p.text.WriteString(s)
}

// result returns the banner once the closing delimiter was read.
func (p *bannerParser) result() (banner, error) {
	if !p.done {
		return banner{}, fmt.Errorf("%% Banner not terminated: the closing delimiter '%s' never came", p.delim)
	}
	if p.tooLong {
		return banner{}, fmt.Errorf("%% Banner too long (at most %d characters); not changed", maxBannerLen)
	}
	return banner{text: p.text.String(), delim: p.delim}, nil
}

// cleanBannerText drops control characters (other than tab) and invalid
// UTF-8: a banner is shown to anyone who connects and must not carry
// terminal escapes.
func cleanBannerText(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' || c == 0x7f || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r == utf8.RuneError || r < 0x20 && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0 {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// bannerLines renders "banner KIND" with its text: with "^C" around it as
// IOS writes it, or with the delimiter it was entered with when the text
// itself contains "^C".
func bannerLines(kind string, b banner) []string {
	d := "^C"
	if strings.Contains(b.text, d) {
		d = b.delim
	}
	return strings.Split("banner "+kind+" "+d+b.text+d, "\n")
}
