package engine

import (
	"strings"
	"testing"
)

func TestParseVLANList(t *testing.T) {
	good := []struct{ in, out string }{
		{"1", "1"},
		{"1-5,7", "1-5,7"}, // LiSA rejected a range followed by a comma
		{"1,3-5", "1,3-5"},
		{"7,1-5", "1-5,7"},
		{"1,2", "1,2"},
		{"1,2,3", "1-3"},
		{"4094", "4094"},
		{"1-4094", "1-4094"},
		{"10-10", "10"},
		{"5,5,5", "5"},
		{"100-200,150-250", "100-250"},
		{"0010", "10"},
	}
	for _, c := range good {
		s, err := ParseVLANList(c.in)
		if err != nil {
			t.Errorf("ParseVLANList(%q): %v", c.in, err)
			continue
		}
		if got := s.String(); got != c.out {
			t.Errorf("ParseVLANList(%q).String() = %q, want %q", c.in, got, c.out)
		}
	}
	bad := []string{"", "0", "4095", "1,,2", ",1", "1,", "1-", "-5", "5-1", "1 ,2", " 1", "1-5 ", "a", "1-b",
		"+1", "99999", "1-4095", "0-10", "1--2", "1-2-3", "١"}
	for _, in := range bad {
		if s, err := ParseVLANList(in); err == nil {
			t.Errorf("ParseVLANList(%q) = %v, want error", in, s)
		} else if !strings.Contains(err.Error(), "Bad VLAN list") {
			t.Errorf("ParseVLANList(%q) error %q does not say Bad VLAN list", in, err)
		}
	}
}

func TestVLANSetOps(t *testing.T) {
	s := NewVLANSet(1, 2, 3, 10, 0, 4095)
	if s.Len() != 4 || s.Has(0) || s.Has(4095) {
		t.Fatalf("invalid ids must be ignored: %v", s)
	}
	add, _ := ParseVLANList("20-22")
	if got := s.Union(add).String(); got != "1-3,10,20-22" {
		t.Errorf("add: %s", got)
	}
	rm, _ := ParseVLANList("2,10")
	if got := s.Minus(rm).String(); got != "1,3" {
		t.Errorf("remove: %s", got)
	}
	if got := rm.Complement().String(); got != "1,3-9,11-4094" {
		t.Errorf("except: %s", got)
	}
	all := AllVLANs()
	if !all.IsAll() || all.Len() != 4094 || all.String() != "1-4094" {
		t.Errorf("all: %v", all.String())
	}
	var none VLANSet
	if !none.IsEmpty() || none.String() != "" {
		t.Errorf("none: %q", none.String())
	}
	if ids := NewVLANSet(5, 3).IDs(); len(ids) != 2 || ids[0] != 3 || ids[1] != 5 {
		t.Errorf("IDs: %v", ids)
	}
}

func TestTrunkAllowedLines(t *testing.T) {
	var odd VLANSet
	for id := uint16(1); id < 400; id += 2 {
		odd.Add(id)
	}
	lines := odd.TrunkAllowedLines()
	if len(lines) < 3 {
		t.Fatalf("expected wrapping, got %q", lines)
	}
	var back VLANSet
	for i, l := range lines {
		if len(l) > ConfigLineWidth {
			t.Errorf("line %d is %d chars: %q", i, len(l), l)
		}
		prefix := " switchport trunk allowed vlan add "
		if i == 0 {
			prefix = " switchport trunk allowed vlan "
		}
		if !strings.HasPrefix(l, prefix) || (i == 0 && strings.HasPrefix(l, " switchport trunk allowed vlan add ")) {
			t.Fatalf("line %d: %q", i, l)
		}
		part, err := ParseVLANList(strings.TrimPrefix(l, prefix))
		if err != nil {
			t.Fatalf("line %d does not parse: %v", i, err)
		}
		back = back.Union(part)
	}
	if back != odd {
		t.Errorf("round trip lost VLANs")
	}
	// A short list is one line; a range is never split.
	one, _ := ParseVLANList("1-5,7,100-200")
	if got := one.TrunkAllowedLines(); len(got) != 1 || got[0] != " switchport trunk allowed vlan 1-5,7,100-200" {
		t.Errorf("short list: %q", got)
	}
	var empty VLANSet
	if got := empty.TrunkAllowedLines(); got[0] != " switchport trunk allowed vlan none" {
		t.Errorf("empty: %q", got)
	}
}

func FuzzParseVLANList(f *testing.F) {
	for _, s := range []string{"1-5,7", "1,2,3", "4094", "0", "1-", ",", "10-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseVLANList(in)
		if err != nil {
			return
		}
		if s.IsEmpty() {
			t.Fatalf("%q parsed to an empty set", in)
		}
		again, err := ParseVLANList(s.String())
		if err != nil || again != s {
			t.Fatalf("%q: String %q does not round-trip (%v)", in, s.String(), err)
		}
	})
}

func TestMAC(t *testing.T) {
	cases := map[string]string{
		"0011.2233.4455":    "0011.2233.4455",
		"1.2.3":             "0001.0002.0003",
		"AbCd.eF01.2345":    "abcd.ef01.2345",
		"00:11:22:33:44:55": "0011.2233.4455",
		"0-1-2-3-4-5":       "0001.0203.0405",
		"0:1:2:3:4:5":       "0001.0203.0405",
	}
	for in, want := range cases {
		m, err := ParseMAC(in)
		if err != nil || m.String() != want {
			t.Errorf("ParseMAC(%q) = %v, %v; want %s", in, m, err, want)
		}
	}
	for _, in := range []string{"", "1.2", "1.2.3.4", "12345.1.1", "g.1.1", "00:11:22:33:44", "00:11:22:33:44:555",
		"00:11-22:33:44:55", "1..2", "..", "0011.2233.4455 "} {
		if m, err := ParseMAC(in); err == nil {
			t.Errorf("ParseMAC(%q) = %v, want error", in, m)
		}
	}
	m, _ := ParseMAC("0011.2233.4455")
	if m.Colon() != "00:11:22:33:44:55" {
		t.Errorf("Colon: %s", m.Colon())
	}
	if got := SVIMACFor(10).Colon(); got != "02:00:4c:69:53:4b" {
		t.Errorf("SVI MAC for VLAN 10 = %s", got)
	}
	if got := SVIMACFor(1).Colon(); got != "02:00:4c:69:53:40" {
		t.Errorf("SVI MAC for VLAN 1 = %s", got)
	}
	r, _ := ParseMAC("0180.c200.000e")
	if !r.IsReserved() || !r.IsMulticast() {
		t.Errorf("%s should be reserved multicast", r)
	}
	if nr, _ := ParseMAC("0180.c200.0010"); nr.IsReserved() {
		t.Errorf("%s is not in the reserved block", nr)
	}
}

func FuzzParseMAC(f *testing.F) {
	f.Add("0011.2233.4455")
	f.Add("00:11:22:33:44:55")
	f.Fuzz(func(t *testing.T, in string) {
		m, err := ParseMAC(in)
		if err != nil {
			return
		}
		if back, err := ParseMAC(m.String()); err != nil || back != m {
			t.Fatalf("%q -> %s does not round-trip", in, m)
		}
	})
}

// An id out of range gets IOS's message, which names the character that
// ends it (1-based), or EOL.
func TestParseVLANListOutOfRangeMessage(t *testing.T) {
	for in, want := range map[string]string{
		"5000":                 "Bad VLAN list - character #5 (EOL) delimits a VLAN number which is out of the range 1..4094.",
		"10,5000,7":            "Bad VLAN list - character #8 (',') delimits a VLAN number which is out of the range 1..4094.",
		"0-5":                  "Bad VLAN list - character #2 ('-') delimits a VLAN number which is out of the range 1..4094.",
		"1-4095":               "Bad VLAN list - character #7 (EOL) delimits a VLAN number which is out of the range 1..4094.",
		"99999999999999999999": "Bad VLAN list - character #21 (EOL) delimits a VLAN number which is out of the range 1..4094.",
	} {
		if _, err := ParseVLANList(in); err == nil || err.Error() != want {
			t.Errorf("ParseVLANList(%q) = %v, want %q", in, err, want)
		}
	}
}
