package configstore

import (
	"reflect"
	"testing"
)

// FuzzParseVM checks that any record text parses without panicking and
// that a record which formats reads back the same.
func FuzzParseVM(f *testing.F) {
	f.Add("! LiSA-Go port configuration of VM web01\nnic 0\n switchport access vlan 30\n!\nnic 1\n shutdown\n!\n")
	f.Add(" switchport access vlan 5\n description x\n")
	f.Add("nic x\n a\nnic 0\n b\nbogus\n\x00\n")
	f.Fuzz(func(t *testing.T, text string) {
		rec, _ := ParseVM("vm", text)
		out, err := FormatVM(rec)
		if err != nil {
			t.Fatalf("FormatVM of a parsed record: %v", err)
		}
		back, err := ParseVM("vm", out)
		if err != nil || !reflect.DeepEqual(back, rec) {
			t.Fatalf("round trip of %q: %#v, %v; want %#v", out, back, err, rec)
		}
	})
}

// FuzzParseSettings checks that no settings file makes the parser panic
// and that whatever parses also validates.
func FuzzParseSettings(f *testing.F) {
	f.Add(ExampleTOML)
	f.Add("[engine]\nmac_table_size = \"x\"\n")
	f.Add("a.b.c = 1\n[x]\ny = [1, 2]\n")
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseSettings("f", []byte(text))
		if err == nil {
			if verr := s.Validate(); verr != nil {
				t.Fatalf("parsed but invalid: %v", verr)
			}
		}
	})
}
