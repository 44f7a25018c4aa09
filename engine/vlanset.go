package engine

import (
	"errors"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// MinVLAN and MaxVLAN bound the usable 802.1Q VLAN ids; 0 and 4095 are
// reserved by the standard.
const (
	MinVLAN = 1
	MaxVLAN = 4094
)

// VLANSet is a set of VLAN ids 1-4094, a 4096-bit bitmap. The zero value is
// the empty set; it is a value type, copying it copies the set.
type VLANSet struct {
	w [64]uint64
}

// ErrBadVLANList is returned by ParseVLANList; IOS prints "Bad VLAN list".
var ErrBadVLANList = errors.New("Bad VLAN list")

// AllVLANs returns the set 1-4094.
func AllVLANs() VLANSet {
	var s VLANSet
	s.AddRange(MinVLAN, MaxVLAN)
	return s
}

// NewVLANSet returns a set holding the given ids (invalid ids are ignored).
func NewVLANSet(ids ...uint16) VLANSet {
	var s VLANSet
	for _, id := range ids {
		s.Add(id)
	}
	return s
}

// ValidVLAN reports whether id is in 1-4094.
func ValidVLAN(id uint16) bool { return id >= MinVLAN && id <= MaxVLAN }

// Has reports whether id is in the set.
func (s *VLANSet) Has(id uint16) bool {
	return id < 4096 && s.w[id>>6]&(1<<(id&63)) != 0
}

// Add inserts id; ids outside 1-4094 are ignored.
func (s *VLANSet) Add(id uint16) {
	if ValidVLAN(id) {
		s.w[id>>6] |= 1 << (id & 63)
	}
}

// Remove deletes id.
func (s *VLANSet) Remove(id uint16) {
	if id < 4096 {
		s.w[id>>6] &^= 1 << (id & 63)
	}
}

// AddRange inserts a..b inclusive (clipped to 1-4094).
func (s *VLANSet) AddRange(a, b uint16) {
	if a < MinVLAN {
		a = MinVLAN
	}
	if b > MaxVLAN {
		b = MaxVLAN
	}
	for id := int(a); id <= int(b); id++ {
		s.w[id>>6] |= 1 << (uint(id) & 63)
	}
}

// Union returns s ∪ o (IOS "add").
func (s VLANSet) Union(o VLANSet) VLANSet {
	for i := range s.w {
		s.w[i] |= o.w[i]
	}
	return s
}

// Minus returns s \ o (IOS "remove").
func (s VLANSet) Minus(o VLANSet) VLANSet {
	for i := range s.w {
		s.w[i] &^= o.w[i]
	}
	return s
}

// Intersect returns s ∩ o.
func (s VLANSet) Intersect(o VLANSet) VLANSet {
	for i := range s.w {
		s.w[i] &= o.w[i]
	}
	return s
}

// Complement returns 1-4094 \ s (IOS "except").
func (s VLANSet) Complement() VLANSet { return AllVLANs().Minus(s) }

// Len returns the number of ids in the set.
func (s VLANSet) Len() int {
	n := 0
	for _, w := range s.w {
		n += bits.OnesCount64(w)
	}
	return n
}

// IsEmpty reports whether the set holds nothing.
func (s VLANSet) IsEmpty() bool { return s.Len() == 0 }

// IsAll reports whether the set is 1-4094.
func (s VLANSet) IsAll() bool { return s == AllVLANs() }

// IDs returns the members in ascending order.
func (s VLANSet) IDs() []uint16 {
	out := make([]uint16, 0, s.Len())
	for id := uint16(MinVLAN); id <= MaxVLAN; id++ {
		if s.Has(id) {
			out = append(out, id)
		}
	}
	return out
}

// ParseVLANList parses an IOS VLAN list such as "1-5,7,100-200". The whole
// list is checked before anything is returned: an empty item, a space, a
// reversed range, a leading sign or an id outside 1-4094 makes the whole
// list invalid (ErrBadVLANList) and the caller applies nothing.
func ParseVLANList(list string) (VLANSet, error) {
	var s VLANSet
	if list == "" {
		return s, fmt.Errorf("%w: empty list", ErrBadVLANList)
	}
	off := 0 // where the item starts in list
	for _, item := range strings.Split(list, ",") {
		lo, hi, isRange := strings.Cut(item, "-")
		a, err := parseVLANID(lo, list, off+len(lo))
		if err != nil {
			return VLANSet{}, fmt.Errorf("%w%v", ErrBadVLANList, err)
		}
		b := a
		if isRange {
			if b, err = parseVLANID(hi, list, off+len(item)); err != nil {
				return VLANSet{}, fmt.Errorf("%w%v", ErrBadVLANList, err)
			}
			if b < a {
				return VLANSet{}, fmt.Errorf("%w: %q: range is reversed", ErrBadVLANList, item)
			}
		}
		s.AddRange(a, b)
		off += len(item) + 1
	}
	return s, nil
}

// parseVLANID parses one id of list; end is the offset of the character
// that ends it, which IOS names in its out-of-range message.
func parseVLANID(s, list string, end int) (uint16, error) {
	if s == "" {
		return 0, fmt.Errorf(": %q: empty item", list)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf(": %q is not a number", s)
		}
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < MinVLAN || v > MaxVLAN {
		delim := "EOL"
		if end < len(list) {
			delim = "'" + list[end:end+1] + "'"
		}
		return 0, fmt.Errorf(" - character #%d (%s) delimits a VLAN number which is out of the range 1..4094.", end+1, delim)
	}
	return uint16(v), nil
}

// String renders the set as an IOS list: three or more consecutive ids
// become "a-b", two become "a,b". The empty set renders as "".
func (s VLANSet) String() string {
	return strings.Join(s.items(), ",")
}

// items returns the list items ("1-5", "7", ...) in order.
func (s *VLANSet) items() []string {
	var out []string
	id := MinVLAN
	for id <= MaxVLAN {
		if !s.Has(uint16(id)) {
			id++
			continue
		}
		end := id
		for end+1 <= MaxVLAN && s.Has(uint16(end+1)) {
			end++
		}
		switch end - id {
		case 0:
			out = append(out, strconv.Itoa(id))
		case 1:
			out = append(out, strconv.Itoa(id), strconv.Itoa(end))
		default:
			out = append(out, strconv.Itoa(id)+"-"+strconv.Itoa(end))
		}
		id = end + 1
	}
	return out
}

// ConfigLineWidth is the longest running-config line IOS writes.
const ConfigLineWidth = 79

// TrunkAllowedLines renders the set as running-config lines, wrapped the IOS
// way to at most ConfigLineWidth characters: the first line is
// " switchport trunk allowed vlan L", every further one
// " switchport trunk allowed vlan add L". An empty set gives the single line
// " switchport trunk allowed vlan none".
func (s VLANSet) TrunkAllowedLines() []string {
	const first = " switchport trunk allowed vlan "
	const more = " switchport trunk allowed vlan add "
	items := s.items()
	if len(items) == 0 {
		return []string{first + "none"}
	}
	var lines []string
	cur := first
	n := 0 // items on the current line
	for _, it := range items {
		sep := ""
		if n > 0 {
			sep = ","
		}
		if n > 0 && len(cur)+len(sep)+len(it) > ConfigLineWidth {
			lines = append(lines, cur)
			cur, n, sep = more, 0, ""
		}
		cur += sep + it
		n++
	}
	return append(lines, cur)
}
