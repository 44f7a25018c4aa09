package engine

import (
	"math"
	"sync/atomic"
	"time"
)

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

// Output reports whether the reason is counted on the egress port, a frame
// lost on its way out (IOS's "Total output drops"); the others are counted
// on the ingress port (IOS's input queue drops).
func (r DropReason) Output() bool { return r == DropTxError || r == DropTxQueueFull }

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
	// Link is the netdev's own statistics since the last clear: what the
	// kernel counted below lisad (errors, frames it dropped before lisad
	// saw them, transmit failures after).
	Link LinkStats
	// Cleared is when the counters were last cleared; zero if never.
	Cleared time.Time
	// Rates are the port's five-minute input and output rates.
	Rates Rates
}

// Rates are exponentially decayed averages of a port's traffic with a
// five-minute time constant, as IOS's "5 minute input rate".
type Rates struct {
	InBits, InPackets, OutBits, OutPackets uint64 // per second
}

// InDrops sums the drops counted on the port as ingress port.
func (c *PortCounters) InDrops() uint64 {
	var n uint64
	for r, d := range c.Drops {
		if !DropReason(r).Output() {
			n += d
		}
	}
	return n
}

// OutDrops sums the drops counted on the port as egress port.
func (c *PortCounters) OutDrops() uint64 {
	var n uint64
	for r, d := range c.Drops {
		if DropReason(r).Output() {
			n += d
		}
	}
	return n
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

	// Under Engine.mu:
	linkBase LinkStats // the netdev's statistics at the last clear
	cleared  time.Time // zero: never
	rate     rateMeter
}

// rateWindow is the time constant of the rates, IOS's load interval.
const rateWindow = 5 * time.Minute

// rateSampleEvery is how often the engine samples every port's counters for
// the rates by itself; reading a port's counters samples it too.
const rateSampleEvery = 5 * time.Second

// rateMeter turns counter samples into exponentially decayed rates: over an
// interval dt the average moves towards the interval's own rate by
// 1-exp(-dt/rateWindow), so sparse samples (taken lazily) weigh as much time
// as they cover.
type rateMeter struct {
	at                                     time.Time // last sample; zero: none yet
	inBytes, inPkts, outBytes, outPkts     uint64    // counts at the last sample
	inBits, inPktRate, outBits, outPktRate float64
}

func (m *rateMeter) sample(now time.Time, c *PortCounters) {
	if m.at.IsZero() || now.Before(m.at) {
		m.at = now
		m.inBytes, m.inPkts, m.outBytes, m.outPkts = c.RxBytes, c.RxPackets, c.TxBytes, c.TxPackets
		return
	}
	dt := now.Sub(m.at).Seconds()
	if dt <= 0 {
		return
	}
	w := 1 - math.Exp(-dt/rateWindow.Seconds())
	move := func(avg *float64, last *uint64, cur uint64, scale float64) {
		var d uint64
		if cur > *last { // counters only fall when cleared, and clear rebases
			d = cur - *last
		}
		*avg += (float64(d)*scale/dt - *avg) * w
		*last = cur
	}
	move(&m.inBits, &m.inBytes, c.RxBytes, 8)
	move(&m.inPktRate, &m.inPkts, c.RxPackets, 1)
	move(&m.outBits, &m.outBytes, c.TxBytes, 8)
	move(&m.outPktRate, &m.outPkts, c.TxPackets, 1)
	m.at = now
}

func (m *rateMeter) rates() Rates {
	r := func(f float64) uint64 { return uint64(math.Round(f)) }
	return Rates{InBits: r(m.inBits), InPackets: r(m.inPktRate), OutBits: r(m.outBits), OutPackets: r(m.outPktRate)}
}

// rebase restarts the counts from zero after a clear; the averages stay,
// as IOS's do.
func (m *rateMeter) rebase() {
	m.inBytes, m.inPkts, m.outBytes, m.outPkts = 0, 0, 0, 0
}

// finishCounters completes a snapshot of p's counters with what needs the
// engine: the rates (the snapshot is a sample, at the engine's clock) and,
// if withLink, the netdev's statistics since the last clear. Under e.mu.
func (e *Engine) finishCounters(p *port, c *PortCounters, withLink bool) {
	p.ctr.rate.sample(e.clock.Now(), c)
	c.Rates = p.ctr.rate.rates()
	c.Cleared = p.ctr.cleared
	if withLink {
		if li, err := e.host.Link(p.name); err == nil {
			c.Link = li.Stats.Sub(p.ctr.linkBase)
		}
	}
}

// clearExtra is the part of a clear that needs the engine: the netdev's
// statistics become the new base, the time is kept. Under e.mu.
func (e *Engine) clearExtra(p *port) {
	if li, err := e.host.Link(p.name); err == nil {
		p.ctr.linkBase = li.Stats
	}
	p.ctr.cleared = e.clock.Now()
	p.ctr.rate.rebase()
}

// sampleRates samples the counters of every port not sampled for
// rateSampleEvery, so the rates follow the traffic between readings.
func (e *Engine) sampleRates(now time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, p := range e.ports {
		if !p.ctr.rate.at.IsZero() && now.Sub(p.ctr.rate.at) < rateSampleEvery {
			continue
		}
		e.countersLocked(p, false)
	}
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
