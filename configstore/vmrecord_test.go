package configstore

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestValidateDomain(t *testing.T) {
	good := []string{"web01", "Web-01_x.y", "a", "vm with spaces", "dömäne", strings.Repeat("a", MaxDomainLen), "a..b", "-x"}
	for _, d := range good {
		if err := ValidateDomain(d); err != nil {
			t.Errorf("ValidateDomain(%q) = %v", d, err)
		}
	}
	bad := map[string]string{
		"":                                  "empty",
		"../x":                              "starts with '.'",
		"..":                                "starts with '.'",
		".":                                 "starts with '.'",
		".hidden":                           "starts with '.'",
		"a/b":                               "contains '/'",
		"/etc/passwd":                       "contains '/'",
		"x\x00y":                            "control character",
		"x\ny":                              "control character",
		"x\x7f":                             "control character",
		strings.Repeat("a", MaxDomainLen+1): "longer than",
		"\xff\xfe":                          "UTF-8",
	}
	for d, why := range bad {
		err := ValidateDomain(d)
		if err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("ValidateDomain(%q) = %v, want error about %q", d, err, why)
		}
	}
}

func TestParseVM(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		nics   map[int][]string
		errors []int // lines reported bad
	}{
		{"two NICs", `! LiSA-Go port configuration of VM web01
nic 0
 switchport access vlan 30
!
nic 1
 switchport mode trunk
 switchport trunk allowed vlan 10,20
!
`, map[int][]string{0: {"switchport access vlan 30"}, 1: {"switchport mode trunk", "switchport trunk allowed vlan 10,20"}}, nil},
		{"original single-NIC tag file", " switchport access vlan 5\n description web\n",
			map[int][]string{0: {"switchport access vlan 5", "description web"}}, nil},
		{"original file without final newline", " switchport access vlan 5",
			map[int][]string{0: {"switchport access vlan 5"}}, nil},
		{"CRLF and tabs and trailing blanks", "nic 2\r\n\tshutdown  \r\n!\r\n",
			map[int][]string{2: {"shutdown"}}, nil},
		{"NIC with default config", "nic 0\n!\nnic 3\n!\n", map[int][]string{0: {}, 3: {}}, nil},
		{"empty", "", map[int][]string{}, nil},
		{"comments only", "! nothing\n!\n\n", map[int][]string{}, nil},
		{"stray top-level line is reported, the rest kept", "nic 0\n switchport access vlan 3\ninterface eth0\n shutdown\n",
			map[int][]string{0: {"switchport access vlan 3", "shutdown"}}, []int{3}},
		{"bad NIC index skips its block only", "nic x\n shutdown\nnic 1\n no cdp enable\n",
			map[int][]string{1: {"no cdp enable"}}, []int{1}},
		{"negative and huge NIC indexes", "nic -1\n a\nnic 1024\n b\nnic +1\n c\nnic 1 2\n d\n",
			map[int][]string{}, []int{1, 3, 5, 7}},
		{"duplicate NIC merges", "nic 0\n a\nnic 0\n b\n", map[int][]string{0: {"a", "b"}}, []int{3}},
		{"control character", "nic 0\n descr\x00iption\n shutdown\n", map[int][]string{0: {"shutdown"}}, []int{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := ParseVM("web01", tt.text)
			if rec.Domain != "web01" || !reflect.DeepEqual(rec.NICs, tt.nics) {
				t.Errorf("NICs = %#v, want %#v", rec.NICs, tt.nics)
			}
			var lines []int
			var pe *ParseError
			if errors.As(err, &pe) {
				for _, l := range pe.Lines {
					lines = append(lines, l.Line)
				}
			} else if err != nil {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			if !reflect.DeepEqual(lines, tt.errors) {
				t.Errorf("bad lines %v, want %v (%v)", lines, tt.errors, err)
			}
		})
	}
}

func TestFormatVM(t *testing.T) {
	rec := VMRecord{Domain: "web01", NICs: map[int][]string{
		1: {"switchport mode trunk", "switchport trunk allowed vlan 10,20"},
		0: {" switchport access vlan 30"},
		4: {},
	}}
	text, err := FormatVM(rec)
	if err != nil {
		t.Fatal(err)
	}
	want := `! LiSA-Go port configuration of VM web01
nic 0
 switchport access vlan 30
!
nic 1
 switchport mode trunk
 switchport trunk allowed vlan 10,20
!
nic 4
!
`
	if text != want {
		t.Errorf("FormatVM =\n%s\nwant\n%s", text, want)
	}
	back, err := ParseVM("web01", text)
	rec.NICs[0] = []string{"switchport access vlan 30"}
	if err != nil || !reflect.DeepEqual(back, rec) {
		t.Errorf("round trip = %#v, %v", back, err)
	}

	bad := []VMRecord{
		{Domain: "../x", NICs: map[int][]string{0: {"shutdown"}}},
		{Domain: "vm", NICs: map[int][]string{-1: {"shutdown"}}},
		{Domain: "vm", NICs: map[int][]string{MaxNIC + 1: {"shutdown"}}},
		{Domain: "vm", NICs: map[int][]string{0: {"shutdown\nnic 1"}}},
		{Domain: "vm", NICs: map[int][]string{0: {"   "}}},
		{Domain: "vm", NICs: map[int][]string{0: {"! comment"}}},
	}
	for _, r := range bad {
		if _, err := FormatVM(r); err == nil {
			t.Errorf("FormatVM(%#v) accepted", r)
		}
	}
}

func TestStoreVMs(t *testing.T) {
	s := NewStore(filepath.Join(t.TempDir(), "lisa"))
	if names, err := s.ListVMs(); err != nil || len(names) != 0 {
		t.Fatalf("ListVMs before any write = %v, %v", names, err)
	}
	if _, present, err := s.ReadVM("web01"); present || err != nil {
		t.Fatalf("ReadVM of a new VM = %v, %v", present, err)
	}
	web := VMRecord{Domain: "web01", NICs: map[int][]string{0: {"switchport access vlan 30"}, 1: {"shutdown"}}}
	db := VMRecord{Domain: "db", NICs: map[int][]string{0: {}}}
	for _, r := range []VMRecord{web, db} {
		if err := s.WriteVM(r); err != nil {
			t.Fatal(err)
		}
	}
	got, present, err := s.ReadVM("web01")
	if err != nil || !present || !reflect.DeepEqual(got, web) {
		t.Fatalf("ReadVM = %#v, %v, %v", got, present, err)
	}
	// Temporary and hidden files and directories are not VMs.
	os.WriteFile(filepath.Join(s.TagsDir(), ".web01.tmp-42"), nil, 0o600)
	os.Mkdir(filepath.Join(s.TagsDir(), "subdir"), 0o700)
	if names, err := s.ListVMs(); err != nil || !reflect.DeepEqual(names, []string{"db", "web01"}) {
		t.Fatalf("ListVMs = %v, %v", names, err)
	}
	if err := s.DeleteVM("db"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteVM("db"); err != nil {
		t.Fatalf("deleting twice: %v", err)
	}
	if names, _ := s.ListVMs(); !reflect.DeepEqual(names, []string{"web01"}) {
		t.Fatalf("after delete: %v", names)
	}
}

func TestStoreVMEscapes(t *testing.T) {
	root := t.TempDir()
	s := NewStore(filepath.Join(root, "lisa"))
	s.WriteStartup("!\n")
	for _, d := range []string{"../config.text", "..", "/etc/passwd", "a/../../x", "x\x00", ".", ""} {
		if _, _, err := s.ReadVM(d); err == nil {
			t.Errorf("ReadVM(%q) accepted", d)
		}
		if err := s.WriteVM(VMRecord{Domain: d, NICs: map[int][]string{0: {"shutdown"}}}); err == nil {
			t.Errorf("WriteVM(%q) accepted", d)
		}
		if err := s.DeleteVM(d); err == nil {
			t.Errorf("DeleteVM(%q) accepted", d)
		}
	}
	if text, _, _ := s.ReadStartup(); text != "!\n" {
		t.Errorf("startup-config changed to %q", text)
	}
}

func TestStoreReadVMBadLines(t *testing.T) {
	s := NewStore(t.TempDir())
	s.Prepare()
	path := filepath.Join(s.TagsDir(), "legacy")
	os.WriteFile(path, []byte(" switchport access vlan 7\nbogus line\n shutdown\n"), 0o600)
	rec, present, err := s.ReadVM("legacy")
	if !present || !reflect.DeepEqual(rec.NICs, map[int][]string{0: {"switchport access vlan 7", "shutdown"}}) {
		t.Errorf("ReadVM = %#v, %v", rec, present)
	}
	want := path + `:2: expected "nic N", an indented interface command or "!": "bogus line"`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant    %s", err, want)
	}
}
