package switchd

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"time"

	"github.com/lisa-go/lisa/cli"
	"github.com/lisa-go/lisa/icmpping"
)

// Echoer sends echo requests from one source (package icmpping's Socket is
// the real one).
type Echoer interface {
	Echo(ctx context.Context, dst netip.Addr, seq, size int, timeout time.Duration) (icmpping.Result, error)
	Close() error
}

// OpenEchoer opens an Echoer bound to src (invalid: the kernel chooses);
// id marks this run's requests.
type OpenEchoer func(src netip.Addr, id int) (Echoer, error)

// OpenICMP is the real OpenEchoer: a raw ICMP socket.
func OpenICMP(src netip.Addr, id int) (Echoer, error) { return icmpping.Open(src, id) }

func (s *Switch) definePing() {
	help := map[string]string{
		"ping":    "Send echo messages",
		"dst":     "Ping destination address or hostname",
		"repeat":  "specify repeat count",
		"count":   "Repeat count",
		"size":    "specify datagram size",
		"bytes":   "Datagram size",
		"source":  "specify source address or name",
		"srcaddr": "Source address",
		"srcvlan": "Source VLAN interface",
		"vlan":    "VLAN interface",
		"timeout": "specify timeout interval",
		"secs":    "Timeout in seconds",
	}
	s.exec.Define(cli.Command{
		Syntax:   "ping WORD$dst [repeat <1-100000>$count] [size <36-18024>$bytes] [source {A.B.C.D$srcaddr | vlan <1-4094>$srcvlan}] [timeout <0-3600>$secs]",
		Priv:     privMax,
		Help:     help,
		Unlocked: true, // the replies are awaited without holding up other sessions
		Doc:      "Ping from the switch's own addresses, as IOS prints it (!!!!!); no escape sequence yet: repeat and timeout bound the wait",
		Run:      s.cmdPing,
	})
}

func (s *Switch) cmdPing(c *cli.Ctx, a cli.Args) error {
	name := a.Get("dst")
	dst, server, err := s.resolve(context.Background(), name)
	if _, literal := netip.ParseAddr(name); literal != nil {
		s.mu.Lock()
		asked := len(s.cfg.nameServers) > 0 && !s.cfg.lookupOff
		first := netip.Addr{}
		if asked {
			first = s.cfg.nameServers[0]
		}
		s.mu.Unlock()
		switch {
		case server.IsValid():
			c.Printf("Translating \"%s\"...domain server (%s) [OK]\n\n", name, server)
		case asked:
			c.Printf("Translating \"%s\"...domain server (%s)\n", name, first)
		}
	}
	if err != nil {
		return err
	}
	count, size, secs := 5, 100, 2
	if has(a, "count") {
		count = a.Int("count")
	}
	if has(a, "bytes") {
		size = a.Int("bytes")
	}
	if has(a, "secs") {
		secs = a.Int("secs")
	}
	var src netip.Addr
	switch {
	case has(a, "srcaddr"):
		src, _ = netip.ParseAddr(a.Get("srcaddr"))
		s.mu.Lock()
		ours := s.hasAddress(src)
		s.mu.Unlock()
		if !ours {
			return fmt.Errorf("%% Invalid source address- IP address not on any of our up interfaces")
		}
	case has(a, "srcvlan"):
		id := uint16(a.Int("srcvlan"))
		s.mu.Lock()
		v := s.cfg.svis[id]
		if v != nil && len(v.addrs) > 0 {
			src = v.addrs[0].Addr()
		}
		s.mu.Unlock()
		if !src.IsValid() {
			return fmt.Errorf("%% Invalid source interface - IP not enabled or interface is down")
		}
	}
	if s.opts.Ping == nil {
		return fmt.Errorf("%% ping is not available: lisad opened no ICMP socket")
	}
	e, err := s.opts.Ping(src, rand.IntN(1<<16))
	if err != nil {
		return fmt.Errorf("%% %v", err)
	}
	defer e.Close()

	c.Print("Type escape sequence to abort.\n")
	c.Printf("Sending %d, %d-byte ICMP Echos to %s, timeout is %d seconds:\n", count, size, dst, secs)
	if src.IsValid() {
		c.Printf("Packet sent with a source address of %s \n", src)
	}
	c.Flush()
	var st icmpping.Stats
	// lisad stopping ends the wait (there is no escape sequence yet).
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-s.closed:
			cancel()
		case <-ctx.Done():
		}
	}()
	for seq := 0; seq < count; seq++ {
		if ctx.Err() != nil {
			break
		}
		r, err := e.Echo(ctx, dst, seq, size, time.Duration(secs)*time.Second)
		if err != nil {
			c.Print("\n")
			return fmt.Errorf("%% %v", err)
		}
		st.Add(r)
		c.Print(string(r.Code))
		if (seq+1)%70 == 0 {
			c.Print("\n") // IOS wraps a long row of !
		}
		c.Flush()
	}
	if count%70 != 0 {
		c.Print("\n")
	}
	c.Print(st.SuccessLine() + "\n")
	return nil
}

func has(a cli.Args, name string) bool { _, ok := a.Lookup(name); return ok }

// hasAddress reports whether a is one of the switch's interface addresses.
func (s *Switch) hasAddress(a netip.Addr) bool {
	for _, l := range s.l3Ifs() {
		for _, p := range *l.addrs {
			if p.Addr() == a {
				return true
			}
		}
	}
	return false
}
