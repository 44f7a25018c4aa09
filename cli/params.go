package cli

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"
)

// Rank orders placeholder types when more than one accepts a token: the most
// specific type wins (a number beats a word).
const (
	RankRest     = 0  // LINE
	RankWord     = 10 // WORD and other free text
	RankName     = 20 // names with a shape (interface names)
	RankList     = 30 // lists (VLAN lists)
	RankSpecific = 40 // numbers, addresses
)

// ParamType describes a placeholder: how it is written in syntax strings, what
// it accepts and how far a wrong token was still right (for the caret).
type ParamType struct {
	// Name is the placeholder as written in syntax strings and shown by `?`.
	Name string
	// Help is used when a command does not give one for the placeholder.
	Help string
	// Rank decides between placeholders that all accept a token.
	Rank int
	// Rest makes the placeholder take the rest of the line.
	Rest bool
	// Accept reports whether the token is a valid value.
	Accept func(tok string) bool
	// Prefix returns how many leading bytes of tok could still start a valid
	// value; it places the caret under the first wrong character.
	Prefix func(tok string) int
}

func wordType() *ParamType {
	return &ParamType{
		Name: "WORD", Rank: RankWord,
		Accept: func(string) bool { return true },
		Prefix: func(tok string) int { return len(tok) },
	}
}

func lineType() *ParamType {
	return &ParamType{
		Name: "LINE", Rank: RankRest, Rest: true,
		Accept: func(string) bool { return true },
		Prefix: func(tok string) int { return len(tok) },
	}
}

// rangeRE is "<lo-hi>"; lo may be negative ("<-23-23>", clock timezone's
// hours).
var rangeRE = regexp.MustCompile(`^<(-?)(\d+)-(\d+)>$`)

// rangeType returns the type for "<lo-hi>", or nil if name is not a range.
func rangeType(name string) *ParamType {
	m := rangeRE.FindStringSubmatch(name)
	if m == nil {
		return nil
	}
	neg := m[1] == "-"
	lo, err1 := strconv.ParseUint(m[2], 10, 32)
	hi, err2 := strconv.ParseUint(m[3], 10, 32)
	if err1 != nil || err2 != nil || !neg && lo > hi {
		return nil
	}
	minus := uint64(0) // how far below zero the range goes
	if neg {
		minus, lo = lo, 0
	}
	return &ParamType{
		Name: name, Rank: RankSpecific,
		Accept: func(tok string) bool {
			if rest, isNeg := strings.CutPrefix(tok, "-"); isNeg {
				v, ok := decimal(rest)
				return neg && ok && v <= minus
			}
			v, ok := decimal(tok)
			return ok && v >= lo && v <= hi
		},
		Prefix: func(tok string) int {
			// The longest prefix of digits whose value does not exceed the
			// bound: more digits could still bring it into range.
			limit, start := hi, 0
			if neg && strings.HasPrefix(tok, "-") {
				limit, start = minus, 1
			}
			var v uint64
			for i := start; i < len(tok); i++ {
				c := tok[i]
				if c < '0' || c > '9' {
					return i
				}
				v = v*10 + uint64(c-'0')
				if v > limit {
					return i
				}
			}
			return len(tok)
		},
	}
}

// decimal parses a plain unsigned decimal (no sign, no spaces, at most 10 digits).
func decimal(s string) (uint64, bool) {
	if s == "" || len(s) > 10 {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		v = v*10 + uint64(s[i]-'0')
	}
	return v, true
}

func macType() *ParamType {
	return &ParamType{
		Name: "H.H.H", Rank: RankSpecific,
		Accept: func(tok string) bool { _, ok := ParseCiscoMAC(tok); return ok },
		Prefix: func(tok string) int {
			groups, digits := 0, 0
			for i := 0; i < len(tok); i++ {
				c := tok[i]
				switch {
				case isHex(c) && digits < 4:
					digits++
				case c == '.' && digits > 0 && groups < 2:
					groups++
					digits = 0
				default:
					return i
				}
			}
			return len(tok)
		},
	}
}

// ParseCiscoMAC parses "xxxx.xxxx.xxxx" where each group has 1-4 hex digits.
func ParseCiscoMAC(s string) ([6]byte, bool) {
	var mac [6]byte
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return mac, false
	}
	for i, p := range parts {
		if p == "" || len(p) > 4 {
			return mac, false
		}
		v, err := strconv.ParseUint(p, 16, 16)
		if err != nil {
			return mac, false
		}
		mac[2*i] = byte(v >> 8)
		mac[2*i+1] = byte(v)
	}
	return mac, true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func ipv4Type() *ParamType {
	return &ParamType{
		Name: "A.B.C.D", Rank: RankSpecific,
		Accept: func(tok string) bool {
			a, err := netip.ParseAddr(tok)
			return err == nil && a.Is4()
		},
		Prefix: func(tok string) int {
			dots, digits, v := 0, 0, 0
			for i := 0; i < len(tok); i++ {
				c := tok[i]
				switch {
				case c >= '0' && c <= '9' && digits < 3:
					v = v*10 + int(c-'0')
					if v > 255 {
						return i
					}
					digits++
				case c == '.' && digits > 0 && dots < 3:
					dots++
					digits, v = 0, 0
				default:
					return i
				}
			}
			return len(tok)
		},
	}
}

func ipv6Type() *ParamType {
	return &ParamType{
		Name: "X:X::X:X", Rank: RankSpecific,
		Accept: func(tok string) bool {
			a, err := netip.ParseAddr(tok)
			return err == nil && a.Is6() && !a.Is4In6() && a.Zone() == ""
		},
		Prefix: func(tok string) int {
			for i := 0; i < len(tok); i++ {
				if !isHex(tok[i]) && tok[i] != ':' && tok[i] != '.' {
					return i
				}
			}
			return len(tok)
		},
	}
}

func ipv6PrefixType() *ParamType {
	return &ParamType{
		Name: "X:X:X:X::X/<0-128>", Rank: RankSpecific,
		Accept: func(tok string) bool {
			p, err := netip.ParsePrefix(tok)
			return err == nil && p.Addr().Is6() && !p.Addr().Is4In6()
		},
		Prefix: func(tok string) int {
			slash := false
			for i := 0; i < len(tok); i++ {
				c := tok[i]
				switch {
				case c == '/' && !slash && i > 0:
					slash = true
				case slash && c >= '0' && c <= '9':
				case !slash && (isHex(c) || c == ':' || c == '.'):
				default:
					return i
				}
			}
			return len(tok)
		},
	}
}
