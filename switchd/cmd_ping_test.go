package switchd

import (
	"context"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lisa-go/lisa/icmpping"
)

// fakePing answers echo requests from a script of result codes; it records
// the source each run was opened with and what was sent.
type fakePing struct {
	mu      sync.Mutex
	script  []rune // codes to answer, in order; '!' when it runs out
	sources []netip.Addr
	sizes   []int
	timeout time.Duration
}

func (f *fakePing) open(src netip.Addr, id int) (Echoer, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sources = append(f.sources, src)
	return f, nil
}

func (f *fakePing) Echo(_ context.Context, dst netip.Addr, seq, size int, timeout time.Duration) (icmpping.Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sizes, f.timeout = append(f.sizes, size), timeout
	code := icmpping.Reply
	if len(f.script) > 0 {
		code, f.script = f.script[0], f.script[1:]
	}
	return icmpping.Result{Code: code, RTT: time.Duration(seq+1) * time.Millisecond}, nil
}

func (f *fakePing) Close() error { return nil }

func TestPingAsIOSPrintsIt(t *testing.T) {
	r := newRig(t, "eth0")
	r.configure("interface vlan 10", "ip address 192.0.2.2 255.255.255.0")
	got := r.run("ping 192.0.2.1")
	want := "Switch#ping 192.0.2.1\nType escape sequence to abort.\nSending 5, 100-byte ICMP Echos to 192.0.2.1, timeout is 2 seconds:\n!!!!!\n" +
		"Success rate is 100 percent (5/5), round-trip min/avg/max = 1/3/5 ms\n"
	expectScreen(t, got, want)

	r.ping.script = []rune{'.', 'U', '!'}
	got = r.run("ping 198.51.100.7 repeat 3 size 1500 source vlan 10 timeout 1")
	want = "Switch#ping 198.51.100.7 repeat 3 size 1500 source vlan 10 timeout 1\nType escape sequence to abort.\n" +
		"Sending 3, 1500-byte ICMP Echos to 198.51.100.7, timeout is 1 seconds:\nPacket sent with a source address of 192.0.2.2 \n.U!\n" +
		"Success rate is 33 percent (1/3), round-trip min/avg/max = 3/3/3 ms\n"
	expectScreen(t, got, want)
	if src := r.ping.sources[len(r.ping.sources)-1]; src != netip.MustParseAddr("192.0.2.2") || r.ping.timeout != time.Second || r.ping.sizes[len(r.ping.sizes)-1] != 1500 {
		t.Errorf("opened from %v, timeout %v, sizes %v", src, r.ping.timeout, r.ping.sizes)
	}

	for line, msg := range map[string]string{
		"ping 192.0.2.1 source 10.9.9.9": "% Invalid source address- IP address not on any of our up interfaces",
		"ping 192.0.2.1 source vlan 20":  "% Invalid source interface - IP not enabled or interface is down",
	} {
		if out := r.run(line); !strings.Contains(out, msg) {
			t.Errorf("%s:\n%s", line, out)
		}
	}
	// A long run wraps its row of ! at 70, as IOS does.
	out := r.run("ping 192.0.2.1 repeat 75")
	if !strings.Contains(out, "\n"+strings.Repeat("!", 70)+"\n!!!!!\nSuccess rate is 100 percent (75/75)") {
		t.Errorf("75 echos:\n%s", out)
	}
}
