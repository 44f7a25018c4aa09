package switchd

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/lisa-go/lisa/cli"
)

// bigConfig is a 10,000-line configuration: 2,000 named VLANs and 1,500
// ports with four lines each.
func bigConfig(ports int) (string, []string) {
	var b strings.Builder
	b.WriteString("!\nhostname Big\n!\n")
	lines := 3
	for v := 2; lines < 4000; v++ {
		if v >= 1002 && v <= 1005 {
			continue
		}
		fmt.Fprintf(&b, "vlan %d\n name net-%d\n!\n", v, v)
		lines += 3
	}
	var names []string
	for i := 0; i < ports; i++ {
		name := fmt.Sprintf("vif%d.%d", i/4+1, i%4)
		names = append(names, name)
		fmt.Fprintf(&b, "interface %s\n description vm %d\n switchport access vlan %d\n!\n", name, i, 2+i%1000)
		lines += 4
	}
	b.WriteString("end\n")
	return b.String(), names
}

func BenchmarkLoadConfig10k(b *testing.B) {
	text, names := bigConfig(1500)
	if n := strings.Count(text, "\n"); n < 10000 {
		b.Fatalf("config has %d lines", n)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		r := newRig(&testing.T{}, names...)
		// The fake host's 1,500 links are garbage of the test, not of the
		// load: collect before timing so their GC is not charged to it.
		runtime.GC()
		b.StartTimer()
		r.sw.mu.Lock()
		if errs := r.sw.replayLocked(text); len(errs) > 0 {
			b.Fatalf("errors: %+v", errs[:1])
		}
		r.sw.mu.Unlock()
		b.StopTimer()
		r.eng.Close()
		b.StartTimer()
	}
}

func BenchmarkShowRunning1000Interfaces(b *testing.B) {
	text, names := bigConfig(1000)
	r := newRig(&testing.T{}, names...)
	r.sw.mu.Lock()
	if errs := r.sw.replayLocked(text); len(errs) > 0 {
		b.Fatalf("errors: %+v", errs[:1])
	}
	r.sw.mu.Unlock()
	s := cli.NewSession(r.sw.env, privMax)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.RunBatch(once("show running-config"), io.Discard)
	}
}

func BenchmarkHelpFourWords(b *testing.B) {
	r := newRig(&testing.T{})
	in := r.sw.interp
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in.Help(r.sw.exec, "show mac address-table dynamic ", privMax, 0)
	}
}

func once(line string) func() (string, bool) {
	done := false
	return func() (string, bool) {
		if done {
			return "", false
		}
		done = true
		return line, true
	}
}
