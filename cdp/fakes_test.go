package cdp

import (
	"errors"
	"net/netip"
	"sync"
	"testing"
	"time"
)

// fakeClock is a Clock that moves only when told.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// sentFrame is one frame handed to the fake sender.
type sentFrame struct {
	port  string
	frame []byte
}

// fakeSender records what the agent sends; fail makes Send return an error.
type fakeSender struct {
	mu   sync.Mutex
	sent []sentFrame
	fail bool
}

func (s *fakeSender) Send(port string, frame []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail {
		return errors.New("link down")
	}
	s.sent = append(s.sent, sentFrame{port, append([]byte(nil), frame...)})
	return nil
}

// take returns and forgets what was sent so far.
func (s *fakeSender) take() []sentFrame {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.sent
	s.sent = nil
	return out
}

func (s *fakeSender) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sent)
}

// decodeSent decodes frames the agent sent, failing the test on any error.
func decodeSent(t *testing.T, sent []sentFrame) []*Frame {
	t.Helper()
	var out []*Frame
	for _, s := range sent {
		f, err := DecodeFrame(s.frame)
		if err != nil {
			t.Fatalf("agent sent an undecodable frame on %s: %v", s.port, err)
		}
		if !f.ChecksumOK {
			t.Fatalf("agent sent a bad checksum on %s", s.port)
		}
		out = append(out, f)
	}
	return out
}

var testSystem = System{
	Hostname:        "lisa-sw1",
	Addresses:       []netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.IPv4Unspecified(), netip.MustParseAddr("2001:db8::1")},
	SoftwareVersion: "LiSA-Go Software, Version 0.1.0, Linux 6.1.0-test #1 SMP",
	Platform:        "LiSA-Go x86_64",
	VTPDomain:       "LAB",
	IGMPSnooping:    true,
}

// newTestAgent returns an agent on a fake clock and sender, with testSystem and no ports.
func newTestAgent(t *testing.T, o Options) (*Agent, *fakeClock, *fakeSender) {
	t.Helper()
	clk, snd := newFakeClock(), &fakeSender{}
	o.Clock, o.Sender = clk, snd
	a := NewAgent(o)
	a.SetSystem(testSystem)
	return a, clk, snd
}

// peerFrame is a CDP frame from a neighbour called id, sent on its port "Gi0/1".
func peerFrame(version uint8, id string, holdtime uint8) []byte {
	b, err := EncodeFrame([6]byte{0x00, 0x1b, 0xd4, 0, 0, 1}, &Packet{
		Version: version, Holdtime: holdtime, DeviceID: id, PortID: "Gi0/1",
		Capabilities: CapSwitch | CapIGMP, HasCapabilities: true, Platform: "WS-C2950-24",
		Addresses: []netip.Addr{netip.MustParseAddr("10.0.0.2")},
	})
	if err != nil {
		panic(err)
	}
	return b
}
