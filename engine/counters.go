package engine

import "sync/atomic"

// DropReason says why the engine discarded a frame.
type DropReason uint8

const (
	DropAdminDown         DropReason = iota // ingress port shut down
	DropTaggedOnAccess                      // 802.1Q tagged frame on an access port
	DropVLANNotAllowed                      // trunk does not allow the VLAN
	DropVLANUnknown                         // VLAN not in the VLAN database
	DropUntaggedOnTrunk                     // untagged frame on a trunk without native VLAN
	DropInvalidSource                       // source MAC zero, broadcast or multicast
	DropReservedMulticast                   // destination 01:80:c2:00:00:0x (802.1D)
	DropSamePort                            // known destination is on the ingress port
	DropEgressUnavailable                   // known destination's port is down or off the VLAN
	DropMalformed                           // shorter than an Ethernet header, or truncated
	DropPuntOverflow                        // punt queue full
	DropTxError                             // transmit failed (counted on the egress port)
	DropRxQueueFull                         // the kernel dropped it: socket receive queue full
	DropTxQueueFull                         // egress socket full: dropped rather than stall the ingress port
	NumDropReasons
)

var dropNames = [NumDropReasons]string{
	"admin-down", "tagged-on-access", "vlan-not-allowed", "vlan-unknown",
	"untagged-on-trunk-without-native", "invalid-src", "reserved-multicast",
	"same-port", "egress-unavailable", "malformed", "punt-overflow", "tx-error", "rx-queue-full", "tx-queue-full",
}

func (r DropReason) String() string {
	if r < NumDropReasons {
		return dropNames[r]
	}
	return "unknown"
}

// PortCounters are a port's switching counters. A GSO super frame counts as
// one packet and all of its bytes.
type PortCounters struct {
	RxPackets, RxBytes                  uint64
	RxUnicast, RxMulticast, RxBroadcast uint64
	TxPackets, TxBytes                  uint64
	TxUnicast, TxMulticast, TxBroadcast uint64
	Punted                              uint64 // handed to the punt handler
	// The part of RxPackets, RxBytes, TxPackets and TxBytes the kernel
	// fast path switched (all unicast).
	FastRxPackets, FastRxBytes, FastTxPackets, FastTxBytes uint64
	Drops                                                  [NumDropReasons]uint64
}

// TotalDrops sums Drops.
func (c *PortCounters) TotalDrops() uint64 {
	var n uint64
	for _, d := range c.Drops {
		n += d
	}
	return n
}

// DropsByName returns the non-zero drop counters keyed by reason name.
func (c *PortCounters) DropsByName() map[string]uint64 {
	m := map[string]uint64{}
	for r, d := range c.Drops {
		if d != 0 {
			m[DropReason(r).String()] = d
		}
	}
	return m
}

// tally is a plain, goroutine-local batch of counts, folded into the shared
// atomics once per batch so the hot path does no atomic per frame.
type tally struct {
	packets, bytes, ucast, mcast, bcast uint64
}

func (t *tally) add(dst []byte, n int) {
	t.packets++
	t.bytes += uint64(n)
	switch {
	case dst[0]&1 == 0:
		t.ucast++
	case dst[0] == 0xff && dst[1] == 0xff && dst[2] == 0xff && dst[3] == 0xff && dst[4] == 0xff && dst[5] == 0xff:
		t.bcast++
	default:
		t.mcast++
	}
}

// dirCounters are one direction's totals, fed by tallies.
type dirCounters struct {
	packets, bytes, ucast, mcast, bcast atomic.Uint64
}

// add folds t in and zeroes it.
func (d *dirCounters) add(t *tally) {
	if t.packets == 0 {
		return
	}
	d.packets.Add(t.packets)
	d.bytes.Add(t.bytes)
	d.ucast.Add(t.ucast)
	d.mcast.Add(t.mcast)
	d.bcast.Add(t.bcast)
	*t = tally{}
}

type portCounters struct {
	rx, tx dirCounters
	punted atomic.Uint64
	drops  [NumDropReasons]atomic.Uint64
}

func (c *portCounters) addRx(t *tally) { c.rx.add(t) }

func (c *portCounters) addTx(t *tally) { c.tx.add(t) }

func (c *portCounters) snapshot() PortCounters {
	var s PortCounters
	s.RxPackets, s.RxBytes = c.rx.packets.Load(), c.rx.bytes.Load()
	s.RxUnicast, s.RxMulticast, s.RxBroadcast = c.rx.ucast.Load(), c.rx.mcast.Load(), c.rx.bcast.Load()
	s.TxPackets, s.TxBytes = c.tx.packets.Load(), c.tx.bytes.Load()
	s.TxUnicast, s.TxMulticast, s.TxBroadcast = c.tx.ucast.Load(), c.tx.mcast.Load(), c.tx.bcast.Load()
	s.Punted = c.punted.Load()
	for i := range c.drops {
		s.Drops[i] = c.drops[i].Load()
	}
	return s
}

func (c *portCounters) clear() {
	for _, a := range []*atomic.Uint64{
		&c.rx.packets, &c.rx.bytes, &c.rx.ucast, &c.rx.mcast, &c.rx.bcast,
		&c.tx.packets, &c.tx.bytes, &c.tx.ucast, &c.tx.mcast, &c.tx.bcast, &c.punted,
	} {
		a.Store(0)
	}
	for i := range c.drops {
		c.drops[i].Store(0)
	}
}
