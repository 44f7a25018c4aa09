package cdp_test

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/lisa-go/lisa/cdp"
)

// loopSender stands in for the engine: it hands every frame straight back to the agent of
// the other side, as a cable between two switches would.
type loopSender struct{ peer *cdp.Agent }

func (s *loopSender) Send(port string, frame []byte) error {
	s.peer.Receive("uplink", frame)
	return nil
}

type fixedClock struct{ t time.Time }

func (c *fixedClock) Now() time.Time { return c.t }

// How switchd and the engine wire an agent: settings and ports from configuration, frames
// from the engine in, frames to the engine out, show output from a snapshot.
func Example() {
	clock := &fixedClock{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	core := cdp.NewAgent(cdp.Options{Clock: clock})
	core.AddPort("uplink", [6]byte{0x02, 0, 0, 0, 0, 0x10})
	core.SetPortUp("uplink", true)

	access := cdp.NewAgent(cdp.Options{Sender: &loopSender{peer: core}, Clock: clock})
	access.SetSystem(cdp.System{
		Hostname:        "lisa-sw1",
		Addresses:       []netip.Addr{netip.MustParseAddr("192.0.2.1")},
		SoftwareVersion: "LiSA-Go Software, Version 0.1.0",
		Platform:        "LiSA-Go x86_64",
	})
	access.AddPort("eth0", [6]byte{0x02, 0, 0, 0, 0, 1})
	access.SetPortUp("eth0", true) // the first advertisement leaves at once

	clock.t = clock.t.Add(20 * time.Second)
	fmt.Print(cdp.ShowNeighbors(core.Snapshot(), "", false))
	fmt.Print(cdp.ShowEntry(core.Snapshot(), "lisa-sw1", cdp.EntryProtocol))
	// Output:
	// Capability codes: R - Router, T - Trans Bridge, B - Source Route Bridge
	// 		S - Switch, H - Host, I - IGMP, r - Repeater
	//
	// Device ID        Local Intrfce     Holdtme    Capability  Platform            Port ID
	// lisa-sw1         uplink             160         S         LiSA-Go x86_64      eth0
	// Protocol information for lisa-sw1 :
	//   IP address: 192.0.2.1
}
