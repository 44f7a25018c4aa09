package configstore

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// VMRecord is the saved port configuration of one VM: for each of its NICs
// (by index, as the hypervisor numbers them: vif<domid>.<index>), the
// interface commands of that port, without leading indentation, in order.
// A NIC present with no lines has the default port configuration.
type VMRecord struct {
	Domain string
	NICs   map[int][]string
}

// Limits on what a record may hold.
const (
	// MaxDomainLen is the longest domain name accepted, in bytes. Xen and
	// libvirt names are far shorter; the limit keeps file names sane.
	MaxDomainLen = 128
	// MaxNIC is the highest NIC index accepted.
	MaxNIC = 1023
)

// ValidateDomain checks that a VM's domain name can safely name its record
// file inside the tags directory: not empty, at most MaxDomainLen bytes,
// valid UTF-8, no '/', no control characters (NUL among them) and no leading
// '.', which rules out ".", ".." and hidden files.
func ValidateDomain(name string) error {
	bad := func(why string) error { return fmt.Errorf("invalid VM domain name %q: %s", name, why) }
	switch {
	case name == "":
		return errors.New("invalid VM domain name: empty")
	case len(name) > MaxDomainLen:
		return bad(fmt.Sprintf("longer than %d bytes", MaxDomainLen))
	case !utf8.ValidString(name):
		return bad("not valid UTF-8")
	case name[0] == '.':
		return bad("starts with '.'")
	case strings.ContainsRune(name, '/'):
		return bad("contains '/'")
	case strings.ContainsFunc(name, isControl):
		return bad("contains a control character")
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

// LineError is one line of a VM record that could not be used.
type LineError struct {
	Line int    // 1-based
	Text string // the line as read
	Msg  string
}

// ParseError lists the lines of a VM record that could not be used. The
// record returned with it holds everything else: one bad line does not lose
// a VM its configuration.
type ParseError struct {
	Path  string // the file, when the record was read from one
	Lines []LineError
}

func (e *ParseError) Error() string {
	var b strings.Builder
	for i, l := range e.Lines {
		if i > 0 {
			b.WriteString("\n")
		}
		if e.Path != "" {
			b.WriteString(e.Path + ":")
		}
		fmt.Fprintf(&b, "%d: %s: %q", l.Line, l.Msg, l.Text)
	}
	return b.String()
}

// ParseVM reads the text of a VM record. It understands two layouts:
//
//	nic 0                         ! LiSA-Go: one block per NIC
//	 switchport access vlan 30
//	!
//
// and the original LiSA's single-NIC tag file, only indented interface
// lines, which become NIC 0. Lines starting with '!' and blank lines are
// ignored. The error, if any, is a *ParseError naming the unusable lines;
// the record holds the rest.
func ParseVM(domain, text string) (VMRecord, error) {
	rec := VMRecord{Domain: domain, NICs: map[int][]string{}}
	var perr ParseError
	bad := func(n int, line, msg string) { perr.Lines = append(perr.Lines, LineError{n, line, msg}) }
	nic := 0          // the block indented lines belong to; 0 before any "nic" line
	skipping := false // inside the block of an unusable "nic" line
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		line = strings.TrimRight(line, " \t\r")
		trimmed := strings.TrimLeft(line, " \t")
		switch {
		case trimmed == "" || trimmed[0] == '!':
			continue
		case strings.ContainsFunc(trimmed, isControl):
			bad(n, line, "control character in line")
		case trimmed != line: // indented: an interface command
			if skipping {
				continue
			}
			rec.NICs[nic] = append(rec.NICs[nic], trimmed)
		default:
			idx, err := parseNICLine(line)
			if err != nil {
				bad(n, line, err.Error())
				skipping = strings.HasPrefix(line, "nic")
				continue
			}
			if _, dup := rec.NICs[idx]; dup {
				bad(n, line, fmt.Sprintf("nic %d appears twice; its commands are added to the first block", idx))
			} else {
				rec.NICs[idx] = []string{}
			}
			nic, skipping = idx, false
		}
	}
	if len(perr.Lines) > 0 {
		return rec, &perr
	}
	return rec, nil
}

// parseNICLine parses "nic N".
func parseNICLine(line string) (int, error) {
	f := strings.Fields(line)
	if len(f) == 0 || f[0] != "nic" {
		return 0, errors.New(`expected "nic N", an indented interface command or "!"`)
	}
	if len(f) != 2 {
		return 0, errors.New(`expected "nic N"; the commands of this block are skipped`)
	}
	idx, err := strconv.Atoi(f[1])
	if err != nil || idx < 0 || idx > MaxNIC || f[1][0] == '+' {
		return 0, fmt.Errorf("NIC index must be 0-%d; the commands of this block are skipped", MaxNIC)
	}
	return idx, nil
}

// FormatVM returns the text of a VM record: a comment naming the VM, then
// one block per NIC in index order, each line indented by one space and
// each block closed by "!". It refuses what would not read back the same:
// bad domain names or NIC indexes, and lines that are empty, start with
// '!' or hold control characters (a newline among them).
func FormatVM(rec VMRecord) (string, error) {
	if err := ValidateDomain(rec.Domain); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("! LiSA-Go port configuration of VM " + rec.Domain + "\n")
	for _, idx := range slices.Sorted(maps.Keys(rec.NICs)) {
		if idx < 0 || idx > MaxNIC {
			return "", fmt.Errorf("VM %s: NIC index %d out of range 0-%d", rec.Domain, idx, MaxNIC)
		}
		fmt.Fprintf(&b, "nic %d\n", idx)
		for _, line := range rec.NICs[idx] {
			l := strings.Trim(line, " \t")
			switch {
			case l == "":
				return "", fmt.Errorf("VM %s nic %d: empty command line", rec.Domain, idx)
			case l[0] == '!':
				return "", fmt.Errorf("VM %s nic %d: command %q starts with '!'", rec.Domain, idx, line)
			case strings.ContainsFunc(l, isControl):
				return "", fmt.Errorf("VM %s nic %d: control character in command %q", rec.Domain, idx, line)
			}
			b.WriteString(" " + l + "\n")
		}
		b.WriteString("!\n")
	}
	return b.String(), nil
}

// ReadVM returns the saved record of a VM. A VM never saved is not an
// error: present is false. A record with unusable lines comes back with a
// *ParseError and everything else it holds, so a caller can log the error
// and still configure the VM's ports.
func (s *Store) ReadVM(domain string) (rec VMRecord, present bool, err error) {
	path, err := s.VMPath(domain)
	if err != nil {
		return VMRecord{}, false, err
	}
	b, present, err := readBounded(path)
	if err != nil || !present {
		return VMRecord{}, present, err
	}
	rec, err = ParseVM(domain, string(b))
	if pe, ok := err.(*ParseError); ok {
		pe.Path = path
	}
	return rec, true, err
}

// WriteVM replaces a VM's record atomically, creating the directories
// first if needed. Errors writing are *WriteError.
func (s *Store) WriteVM(rec VMRecord) error {
	text, err := FormatVM(rec)
	if err != nil {
		return err
	}
	path, _ := s.VMPath(rec.Domain) // FormatVM validated the name
	if _, err := s.Prepare(); err != nil {
		return &WriteError{Path: path, Err: err}
	}
	return WriteFileAtomic(path, []byte(text), filePerm)
}

// DeleteVM removes a VM's record; removing one that is not there succeeds.
func (s *Store) DeleteVM(domain string) error {
	path, err := s.VMPath(domain)
	if err != nil {
		return err
	}
	if err := removeDurably(path); err != nil {
		return fmt.Errorf("%%Error deleting %s: %s", path, Reason(err))
	}
	return nil
}

// ListVMs returns the domain names that have a record, sorted. Files whose
// names are not valid domain names (temporary files among them) are not
// records and are left out. A missing tags directory means no records.
func (s *Store) ListVMs() ([]string, error) {
	entries, err := os.ReadDir(s.TagsDir())
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("%%Error reading %s: %s", s.TagsDir(), Reason(err))
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && ValidateDomain(e.Name()) == nil {
			names = append(names, e.Name())
		}
	}
	return names, nil // os.ReadDir sorts by name
}
