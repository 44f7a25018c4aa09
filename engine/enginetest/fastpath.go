package enginetest

import (
	"errors"
	"sync"
	"time"

	"github.com/lisa-go/lisa/engine"
)

// FastPath is an in-memory engine.FastPath: it records what the engine
// installs, so tests can check the engine keeps it in step with its state.
// It switches nothing; LastSeen and Counters report what the test set.
type FastPath struct {
	mu      sync.Mutex
	ports   map[int]engine.FastPort // by ifindex
	entries map[station]engine.FastEntry
	seen    map[station]time.Duration
	ctr     map[int]engine.FastCounters
	fail    bool
}

// EnableFastPath gives the host a fake fast path, attached to every port
// opened from now on except links marked with NoFastPath. Call it before
// engine.New.
func (h *Host) EnableFastPath() *FastPath {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.fast = &FastPath{ports: map[int]engine.FastPort{}, entries: map[station]engine.FastEntry{},
		seen: map[station]time.Duration{}, ctr: map[int]engine.FastCounters{}}
	return h.fast
}

// NoFastPath makes the fast path fail to attach to link name.
func (h *Host) NoFastPath(name string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if l, ok := h.links[name]; ok {
		l.noFast = true
	}
}

// FastPath implements engine.FastPathHost.
func (h *Host) FastPath() engine.FastPath {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.fast == nil {
		return nil
	}
	return h.fast
}

type station struct {
	mac  engine.MAC
	vlan uint16
}

func entryKey(mac engine.MAC, vlan uint16) station { return station{mac, vlan} }

// SetPort implements engine.FastPath.
func (f *FastPath) SetPort(slot int, p engine.FastPort) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.failing(); err != nil {
		return err
	}
	f.ports[p.Ifindex] = p
	return nil
}

// DeletePort implements engine.FastPath.
func (f *FastPath) DeletePort(ifindex int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.failing(); err != nil {
		return err
	}
	delete(f.ports, ifindex)
	return nil
}

// SetEntry implements engine.FastPath.
func (f *FastPath) SetEntry(mac engine.MAC, vlan uint16, e engine.FastEntry) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.failing(); err != nil {
		return err
	}
	f.entries[entryKey(mac, vlan)] = e
	return nil
}

// DeleteEntry implements engine.FastPath.
func (f *FastPath) DeleteEntry(mac engine.MAC, vlan uint16) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.failing(); err != nil {
		return err
	}
	delete(f.entries, entryKey(mac, vlan))
	return nil
}

// Seen implements engine.FastPath, for the installed stations given a
// time with See.
func (f *FastPath) Seen(fn func(mac engine.MAC, vlan uint16, ago time.Duration)) error {
	f.mu.Lock()
	seen := map[station]time.Duration{}
	for k, ago := range f.seen {
		if _, ok := f.entries[k]; ok {
			seen[k] = ago
		}
	}
	f.mu.Unlock()
	for k, ago := range seen {
		fn(k.mac, k.vlan, ago)
	}
	return nil
}

// Counters implements engine.FastPath.
func (f *FastPath) Counters(slot int) engine.FastCounters {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.ctr[slot]
}

// ResetCounters implements engine.FastPath.
func (f *FastPath) ResetCounters(slot int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.ctr, slot)
}

// Port returns what is installed for ifindex.
func (f *FastPath) Port(ifindex int) (engine.FastPort, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.ports[ifindex]
	return p, ok
}

// Entry returns what is installed for (mac, vlan).
func (f *FastPath) Entry(mac engine.MAC, vlan uint16) (engine.FastEntry, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.entries[entryKey(mac, vlan)]
	return e, ok
}

// Entries counts installed entries.
func (f *FastPath) Entries() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.entries)
}

// See makes the fast path report station (mac, vlan) as seen ago.
func (f *FastPath) See(mac engine.MAC, vlan uint16, ago time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen[entryKey(mac, vlan)] = ago
}

// Count adds to the counters of slot.
func (f *FastPath) Count(slot int, c engine.FastCounters) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o := f.ctr[slot]
	o.RxPackets += c.RxPackets
	o.RxBytes += c.RxBytes
	o.TxPackets += c.TxPackets
	o.TxBytes += c.TxBytes
	f.ctr[slot] = o
}

// Fail makes every change to the fast path fail (true) or work again.
func (f *FastPath) Fail(fail bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = fail
}

func (f *FastPath) failing() error {
	if f.fail {
		return errors.New("fake fast path: refused")
	}
	return nil
}
