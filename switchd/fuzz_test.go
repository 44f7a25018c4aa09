package switchd

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"

	"github.com/lisa-go/lisa/cli"
)

// FuzzCommandLine runs arbitrary lines through the switch's real grammar in
// every mode and at both ends of the privilege range, with help and
// completion: nothing may panic (a handler panic would surface as
// "% Internal error", which the fuzzer also reports).
func FuzzCommandLine(f *testing.F) {
	for _, seed := range []string{
		"show vlan id 10", "sh mac address-table dynamic vlan 10", "show interfaces vif1.0 switchport",
		"interface Ethernet 0", "interface vlan 10", "interface netdev vif1.0", "interface vl10",
		"switchport trunk allowed vlan add 1-5,7", "switchport trunk allowed vlan except 4094",
		"ip address 10.0.0.1 255.255.255.0 secondary", "no ip address 10.0.0.1 255.255.0.255",
		"mac address-table static 0011.2233.4455 vlan 10 interface eth0", "vlan 10,20-25", "name x",
		"enable secret level 5 5 $1$abcd$ABOCfICGTWeBeG/njucVA1", "description x | y", "show running-config | section vif",
		"do show clock", "clear mac address-table dynamic address 1.2.3", "show archive config differences", "",
	} {
		f.Add(seed)
	}
	r := newRig(&testing.T{}, "eth0", "vif1.0", "vif2.0")
	panics := &panicCounter{}
	r.sw.env.Logger = slog.New(panics)
	in := r.sw.interp
	modes := []struct {
		m     *cli.Mode
		state any
		class uint32
	}{{r.sw.exec, nil, 0}, {r.sw.conf, nil, 0}, {r.sw.ifMode, ifRef{port: "eth0"}, classPort}, {r.sw.ifMode, ifRef{svi: 10}, classSVI}, {r.sw.vlMode, []uint16{10}, 0}}
	f.Fuzz(func(t *testing.T, line string) {
		for _, md := range modes {
			for _, level := range []int{1, 15} {
				in.Help(md.m, line, level, md.class)
				in.Complete(md.m, line, level, md.class)
				s := cli.NewSession(r.sw.env, level)
				s.SetMode(md.m, md.state, md.class)
				done := false
				s.RunBatch(func() (string, bool) {
					if done {
						return "", false
					}
					done = true
					return line, true
				}, io.Discard)
				if n := panics.n.Swap(0); n > 0 {
					t.Fatalf("%q panicked in mode %s at level %d: %s", line, md.m.Name, level, panics.last.Load())
				}
			}
		}
	})
}

// panicCounter is a slog handler that counts recovered command panics.
type panicCounter struct {
	n    atomic.Int32
	last atomic.Value
}

func (p *panicCounter) Enabled(context.Context, slog.Level) bool { return true }
func (p *panicCounter) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "command panicked" {
		p.n.Add(1)
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "panic" {
				p.last.Store(a.Value.String())
			}
			return true
		})
	}
	return nil
}
func (p *panicCounter) WithAttrs([]slog.Attr) slog.Handler { return p }
func (p *panicCounter) WithGroup(string) slog.Handler      { return p }
