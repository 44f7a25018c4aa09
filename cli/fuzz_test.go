package cli

import (
	"io"
	"testing"
)

// FuzzLine feeds arbitrary lines to the matcher, help and completion, in
// every mode and at both privilege levels: nothing may panic.
func FuzzLine(f *testing.F) {
	for _, seed := range []string{
		"show vlan id 10", "sh m ?", "show mac address-table static address 1.2.3 vlan 4094",
		"conf t", "interface vif1.0", "switchport trunk allowed vlan add 1-5,7", "description a | b",
		"show version | include ^L", "show version | section (", "do show ver", "e", "|", "| include x",
		"show vlan id 99999999999999999999", "\x00\xff", "show \t vlan", "",
	} {
		f.Add(seed)
	}
	ts := newTestShell(f)
	in := ts.env.Interp
	f.Fuzz(func(t *testing.T, line string) {
		for _, name := range []string{"exec", "config", "config-if"} {
			m := in.Mode(name)
			for _, level := range []int{1, 15} {
				in.Help(m, line, level, 1)
				in.Complete(m, line, level, 1)
				s := NewSession(ts.env, level)
				s.io = &batchIO{w: io.Discard, next: func() (string, bool) { return "", false }}
				s.mode, s.class = m, 1
				s.Execute(line)
			}
		}
	})
}
