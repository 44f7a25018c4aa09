//go:build linux

package engine

import (
	"bytes"
	"testing"

	"github.com/lisa-go/lisa/internal/nstest"
)

// TestPacketPortNoAllocs: reading and writing batches on a real AF_PACKET
// socket allocates nothing once warmed up.
func TestPacketPortNoAllocs(t *testing.T) {
	ns := nstest.New(t, "alloc")
	// A fresh veth's kernel sends MLD reports (90-byte frames) otherwise.
	ns.DisableIPv6(t)
	ns.MustRun(t, "ip", "link", "add", "pa", "type", "veth", "peer", "name", "pb")
	ns.MustRun(t, "ip", "link", "set", "pa", "up")
	ns.MustRun(t, "ip", "link", "set", "pb", "up")
	var a, b PortIO
	err := ns.Do(func() error {
		h, err := NewLinuxHost(LinuxHostConfig{})
		if err != nil {
			return err
		}
		if a, _, err = h.OpenPort("pa"); err != nil {
			return err
		}
		b, _, err = h.OpenPort("pb")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	frame := make([]byte, 60)
	copy(frame, []byte{0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x88, 0xb5})
	tx := []TxFrame{{Hdr: frame[:12], Body: frame[12:]}}
	rx := make([]RxFrame, 8)
	for i := range rx {
		rx[i].Buf = make([]byte, RxHeadroom+MaxFrameLen)
	}
	roundTrip := func() {
		if n, err := a.WriteBatch(tx); n != 1 {
			t.Fatalf("write: %d %v", n, err)
		}
		// Only the test's own frame counts; anything else the kernel
		// sends on the link is read past.
		for tries := 0; tries < 16; tries++ {
			n, err := b.ReadBatch(rx)
			if err != nil || n < 1 {
				t.Fatalf("read: %d %v", n, err)
			}
			for _, f := range rx[:n] {
				if f.Len == 60 && bytes.Equal(f.Frame()[:14], frame[:14]) {
					return
				}
			}
		}
		t.Fatalf("the frame written on pa never came out of pb; last read len %d", rx[0].Len)
	}
	roundTrip()
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector (sync.Pool drops items)")
	}
	if allocs := testing.AllocsPerRun(200, roundTrip); allocs != 0 {
		t.Errorf("a write and a read allocate %.1f times", allocs)
	}
}

// TestTapNoAllocs: the SVI's tap reads and writes without allocating.
func TestTapNoAllocs(t *testing.T) {
	ns := nstest.New(t, "tap")
	var tp PortIO
	err := ns.Do(func() error {
		h, err := NewLinuxHost(LinuxHostConfig{})
		if err != nil {
			return err
		}
		tp, _, err = h.CreateSVI("vlan7", SVIMACFor(7))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	defer tp.Close()
	// Frames written into the tap go up the host stack: the ARP request
	// for an address the host has makes it answer through the tap.
	ns.MustRun(t, "ip", "addr", "add", "10.99.7.1/24", "dev", "vlan7")
	arp := []byte{
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 7, 0x08, 0x06,
		0, 1, 8, 0, 6, 4, 0, 1, 0x02, 0, 0, 0, 0, 7, 10, 99, 7, 2,
		0, 0, 0, 0, 0, 0, 10, 99, 7, 1,
	}
	arp = append(arp, make([]byte, 60-len(arp))...)
	tx := []TxFrame{{Hdr: arp[:12], Body: arp[12:]}}
	rx := make([]RxFrame, 4)
	for i := range rx {
		rx[i].Buf = make([]byte, RxHeadroom+MaxFrameLen)
	}
	roundTrip := func() {
		if n, err := tp.WriteBatch(tx); n != 1 {
			t.Fatalf("write: %d %v", n, err)
		}
		for {
			n, err := tp.ReadBatch(rx)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range rx[:n] {
				fr := f.Frame()
				if len(fr) >= 22 && fr[12] == 0x08 && fr[13] == 0x06 && fr[21] == 2 { // ARP reply
					return
				}
			}
		}
	}
	roundTrip()
	if allocs := testing.AllocsPerRun(50, roundTrip); allocs != 0 {
		t.Errorf("a tap write and read allocate %.1f times", allocs)
	}
}
