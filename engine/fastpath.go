package engine

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// FastPath is a kernel data path for known unicast that the engine keeps in
// step with its own state (see kernelFastPath for the Linux one). The engine
// stays the authority: it decides which stations and ports the fast path may
// switch, installs them, and takes everything back when anything they depend
// on changes. A frame the fast path does not know goes through the engine as
// before. Slots are engine port indexes.
type FastPath interface {
	SetPort(slot int, p FastPort) error
	DeletePort(ifindex int) error
	SetEntry(mac MAC, vlan uint16, e FastEntry) error
	DeleteEntry(mac MAC, vlan uint16) error
	// Seen calls fn for every station the fast path has switched a frame
	// from, with how long ago it last did.
	Seen(fn func(mac MAC, vlan uint16, ago time.Duration)) error
	Counters(slot int) FastCounters
	ResetCounters(slot int)
}

// FastPathHost is a Host that offers a fast path. FastPath returns nil when
// the host has none (disabled, or the kernel cannot).
type FastPathHost interface {
	FastPath() FastPath
}

// FastPathPort is a PortIO that the fast path is attached to.
type FastPathPort interface {
	FastPathAttached() bool
}

// FastPort is how the fast path classifies a port's untagged frames and
// whether it accepts tagged ones.
type FastPort struct {
	Ifindex int
	Trunk   bool
	PVID    uint16 // access VLAN, or a trunk's native VLAN (0: untagged frames are lisad's)
}

// FastEntry is where a station is and how its frames leave.
type FastEntry struct {
	Ifindex int
	Slot    int
	Tagged  bool
}

// FastCounters are the frames the fast path switched for a port.
type FastCounters struct {
	RxPackets, RxBytes, TxPackets, TxBytes uint64
}

// fastSync is the one loop that writes the fast path. Changes to the MAC
// table mark keys dirty; changes to ports or the VLAN database mark
// everything dirty; the loop reconciles what is installed with what the
// engine's current state allows. It is idempotent, so a burst of changes
// costs one pass, and no ordering between marks matters.
type fastSync struct {
	e   *Engine
	fp  FastPath
	log *slog.Logger

	mu    sync.Mutex // dirty, all
	dirty map[uint64]struct{}
	all   bool
	wake  chan struct{}
	stop  chan struct{}
	done  chan struct{}

	apply    sync.Mutex // installed state below; taken before fdb.mu, never after
	ports    map[int]FastPort
	entries  map[uint64]FastEntry
	errs     int
	retrying atomic.Bool // a full pass is scheduled after a failure

	harvested time.Time // last read of the fast path's last-seen stamps (aging goroutine only)
}

// harvestDue says whether an aging pass at now should read the fast path's
// last-seen stamps: always when something is about to age out (so nothing
// the kernel still switches is lost), else every thirtieth of the aging
// time (so idle times shown stay close), and not more than once a second:
// reading a full map costs milliseconds.
func (s *fastSync) harvestDue(now time.Time, aging time.Duration, expiring bool) bool {
	every := max(aging/30, time.Second)
	if !expiring && now.Sub(s.harvested) < every && !now.Before(s.harvested) {
		return false
	}
	s.harvested = now
	return true
}

// maxDirtyKeys bounds the dirty set; beyond it one full pass is cheaper.
const maxDirtyKeys = 4096

func newFastSync(e *Engine, fp FastPath) *fastSync {
	s := &fastSync{e: e, fp: fp, log: e.log, dirty: map[uint64]struct{}{},
		wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
		ports: map[int]FastPort{}, entries: map[uint64]FastEntry{}}
	go s.loop()
	return s
}

func (s *fastSync) markKey(k uint64) {
	s.mu.Lock()
	if !s.all {
		if len(s.dirty) >= maxDirtyKeys {
			s.all = true
			clear(s.dirty)
		} else {
			s.dirty[k] = struct{}{}
		}
	}
	s.mu.Unlock()
	s.poke()
}

func (s *fastSync) markAll() {
	s.mu.Lock()
	s.all = true
	clear(s.dirty)
	s.mu.Unlock()
	s.poke()
}

func (s *fastSync) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *fastSync) close() {
	close(s.stop)
	<-s.done
}

func (s *fastSync) loop() {
	defer close(s.done)
	for {
		select {
		case <-s.stop:
			return
		case <-s.wake:
		}
		s.mu.Lock()
		all := s.all
		keys := make([]uint64, 0, len(s.dirty))
		for k := range s.dirty {
			keys = append(keys, k)
		}
		s.all = false
		clear(s.dirty)
		s.mu.Unlock()
		if all {
			s.syncAll()
		} else {
			s.syncKeys(keys)
		}
	}
}

// Sync runs one full reconciliation now (for tests and for callers that
// must know the fast path is current).
func (s *fastSync) Sync() { s.syncAll() }

// wantPort is what the fast path should know of port view v, if anything.
func wantPort(v *portView) (FastPort, bool) {
	if v == nil || !v.fast || !v.up || v.ifindex <= 0 {
		return FastPort{}, false
	}
	fp := FastPort{Ifindex: v.ifindex, Trunk: v.trunk, PVID: v.access}
	if v.trunk {
		fp.PVID = v.native
	}
	return fp, true
}

// wantEntry is what the fast path should know of MAC table key k on port
// index idx: only stations on a fast port that is up and carries a VLAN of
// the database. Everything the fast path then does with the entry (accept
// the station's frames on that port, send frames to it there, tagged or
// not) is what the engine would do.
func wantEntry(st *fwdState, k uint64, idx int) (FastEntry, bool) {
	v := st.port(idx)
	vlan := keyVLAN(k)
	if _, ok := wantPort(v); !ok || !v.carries(vlan) || !st.vdb.Has(vlan) {
		return FastEntry{}, false
	}
	return FastEntry{Ifindex: v.ifindex, Slot: idx, Tagged: v.egressTagged(vlan)}, true
}

// failed logs a fast path update that did not take (the first few) and
// schedules a full pass a second later: what is recorded as installed only
// changes when the kernel took the change, so the pass retries it.
func (s *fastSync) failed(what string, err error) {
	s.errs++
	if s.errs <= 10 {
		s.log.Warn("fast path update failed; retrying", "what", what, "err", err)
	}
	if s.retrying.CompareAndSwap(false, true) {
		time.AfterFunc(time.Second, func() {
			s.retrying.Store(false)
			s.markAll()
		})
	}
}

// setPort, dropPort, setEntry and dropEntry change the fast path, then the
// record of what is installed. Caller holds apply.
func (s *fastSync) setPort(i int, p FastPort) {
	if have, ok := s.ports[i]; ok && have.Ifindex != p.Ifindex {
		s.dropPort(i)
	}
	if err := s.fp.SetPort(i, p); err != nil {
		s.failed("port", err)
		return
	}
	s.ports[i] = p
}

func (s *fastSync) dropPort(i int) {
	if err := s.fp.DeletePort(s.ports[i].Ifindex); err != nil {
		s.failed("port", err)
		return
	}
	delete(s.ports, i)
}

func (s *fastSync) setEntry(k uint64, fe FastEntry) {
	if err := s.fp.SetEntry(keyMAC(k), keyVLAN(k), fe); err != nil {
		s.failed("entry", err)
		return
	}
	s.entries[k] = fe
}

func (s *fastSync) dropEntry(k uint64) {
	if err := s.fp.DeleteEntry(keyMAC(k), keyVLAN(k)); err != nil {
		s.failed("entry", err)
		return
	}
	delete(s.entries, k)
}

// syncAll makes the fast path what the engine's current state allows, taking
// away before it adds: entries that go or change are deleted first (their
// frames take the engine's path meanwhile), then ports change, then entries
// are installed, so no frame is ever switched by a mix of old and new rules.
func (s *fastSync) syncAll() {
	s.apply.Lock()
	defer s.apply.Unlock()
	st := s.e.state.Load()
	ports := map[int]FastPort{}
	for i := 0; i < st.n; i++ {
		if p, ok := wantPort(st.port(i)); ok {
			ports[i] = p
		}
	}
	entries := map[uint64]FastEntry{}
	s.e.fdb.each(func(r fdbRow) bool {
		if fe, ok := wantEntry(st, r.key, r.port); ok {
			entries[r.key] = fe
		}
		return false
	})
	for k, have := range s.entries {
		if want, ok := entries[k]; !ok || want != have {
			s.dropEntry(k)
		}
	}
	for i, have := range s.ports {
		if want, ok := ports[i]; !ok || want.Ifindex != have.Ifindex {
			s.dropPort(i)
		}
	}
	for i, want := range ports {
		if have, ok := s.ports[i]; !ok || have != want {
			s.setPort(i, want)
		}
	}
	for k, want := range entries {
		if _, ok := s.entries[k]; !ok {
			s.setEntry(k, want)
		}
	}
}

func (s *fastSync) syncKeys(keys []uint64) {
	s.apply.Lock()
	defer s.apply.Unlock()
	st := s.e.state.Load()
	for _, k := range keys {
		fe, want := FastEntry{}, false
		if idx, ok := s.e.fdb.lookup(k); ok {
			fe, want = wantEntry(st, k, idx)
		}
		have, installed := s.entries[k]
		if installed && (!want || have != fe) {
			s.dropEntry(k)
			installed = false
		}
		if want && !installed {
			s.setEntry(k, fe)
		}
	}
}

// forgetPort takes port index idx out of the fast path at once: the port is
// going away and its ifindex may soon name another netdev.
func (s *fastSync) forgetPort(idx int) {
	s.apply.Lock()
	defer s.apply.Unlock()
	for k, fe := range s.entries {
		if fe.Slot == idx {
			s.dropEntry(k)
		}
	}
	if _, ok := s.ports[idx]; ok {
		s.dropPort(idx)
	}
}
