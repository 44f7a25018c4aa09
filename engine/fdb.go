package engine

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// The MAC table (FDB).
//
// Readers (the forwarding path, one goroutine per ingress port) never take a
// lock: the table is a fixed array of buckets of fdbWays slots; a key is
// looked for in two candidate buckets (two-choice hashing), so a lookup reads
// at most 2*fdbWays keys and nothing ever moves between slots. Slots are
// written with atomics in an order that lets a reader confirm what it read
// (value first, then key on insert; key first on delete; the reader re-reads
// the key after the value).
//
// Writers (new MACs, station moves, deletes, aging, statics) hold mu. A
// refresh of a known MAC on the same port is a lock-free CAS of the
// timestamp, done at most once per second per entry, so steady-state
// forwarding neither locks nor allocates.
//
// The bound and its fairness follow Open vSwitch: when the table is full, the
// least recently used entry of the port that owns the most dynamic entries is
// evicted, so a MAC flood on one port does not push out stations learned on
// other ports. Recency is kept per port as an insertion-ordered list with a
// second chance for entries refreshed since they were queued (CLOCK).

const (
	fdbWays = 8

	// value layout: | port 16 | flags 8 | unused 4 | stamp 36 (ms / 16) |
	valStampBits = 36
	valStampMask = 1<<valStampBits - 1
	valFlagShift = 40
	valPortShift = 48
	flagStatic   = 1 << 0

	// stampUnit is the resolution of the stored last-seen time.
	stampUnit = 16 * time.Millisecond
	// refreshEvery limits lock-free timestamp writes per entry.
	refreshEvery = time.Second

	keyEmpty = 0
)

// fdbKey packs (MAC, VLAN) into one word: mac48<<12 | vlan12. A valid key is
// never 0 because VLAN 0 is never a classified VLAN.
func fdbKey(m MAC, vlan uint16) uint64 { return m.uint64()<<12 | uint64(vlan&0xfff) }

func keyMAC(k uint64) MAC     { return macFromUint64(k >> 12) }
func keyVLAN(k uint64) uint16 { return uint16(k & 0xfff) }

func packVal(port int, static bool, stamp uint64) uint64 {
	v := uint64(port)<<valPortShift | stamp&valStampMask
	if static {
		v |= flagStatic << valFlagShift
	}
	return v
}

func valPort(v uint64) int     { return int(v >> valPortShift) }
func valStatic(v uint64) bool  { return (v>>valFlagShift)&flagStatic != 0 }
func valStamp(v uint64) uint64 { return v & valStampMask }

// ErrTableFull is returned by AddStatic when every entry is static.
var ErrTableFull = errors.New("MAC address table is full")

// slotMeta is writer-side bookkeeping, guarded by fdb.mu.
type slotMeta struct {
	prev, next int32  // per-port recency list, -1 terminated
	queued     uint64 // stamp when (re)queued at the list tail
}

type portList struct {
	head, tail int32
	dynamic    int // dynamic entries owned by the port
}

type fdb struct {
	keys    []atomic.Uint64
	vals    []atomic.Uint64
	buckets uint64 // power of two
	max     int
	epoch   time.Time

	mu      sync.Mutex
	meta    []slotMeta
	lists   []portList // by port index
	count   int        // live entries, static included
	statics int
	evicted uint64
	aging   time.Duration // 0 = never

	// onChange, when set, hears of every key whose port or presence
	// changed (called with mu held; it must not call back into the table).
	onChange func(k uint64)
}

func (f *fdb) changed(k uint64) {
	if f.onChange != nil {
		f.onChange(k)
	}
}

func newFDB(max int, epoch time.Time) *fdb {
	if max <= 0 {
		max = 16384
	}
	// Twice the bound in slots keeps the table at most half full, so the
	// two candidate buckets almost never both fill up.
	buckets := uint64(1)
	for buckets*fdbWays < uint64(2*max) {
		buckets <<= 1
	}
	n := buckets * fdbWays
	f := &fdb{
		keys:    make([]atomic.Uint64, n),
		vals:    make([]atomic.Uint64, n),
		buckets: buckets,
		max:     max,
		epoch:   epoch,
		meta:    make([]slotMeta, n),
		aging:   300 * time.Second,
	}
	for i := range f.meta {
		f.meta[i] = slotMeta{prev: -1, next: -1}
	}
	return f
}

// stamp converts a time to the stored last-seen unit.
func (f *fdb) stamp(now time.Time) uint64 {
	d := now.Sub(f.epoch)
	if d < 0 {
		return 0
	}
	return uint64(d/stampUnit) & valStampMask
}

func mix(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	k *= 0xc4ceb9fe1a85ec53
	k ^= k >> 33
	return k
}

// bucketsOf returns the first slot of the two candidate buckets.
func (f *fdb) bucketsOf(k uint64) (uint64, uint64) {
	h := mix(k)
	mask := f.buckets - 1
	b1 := h & mask
	b2 := (h >> 32) & mask
	if b2 == b1 {
		b2 = (b1 + 1) & mask
	}
	return b1 * fdbWays, b2 * fdbWays
}

// find returns the slot holding k, or -1. Lock-free.
func (f *fdb) find(k uint64) int {
	s1, s2 := f.bucketsOf(k)
	for i := s1; i < s1+fdbWays; i++ {
		if f.keys[i].Load() == k {
			return int(i)
		}
	}
	for i := s2; i < s2+fdbWays; i++ {
		if f.keys[i].Load() == k {
			return int(i)
		}
	}
	return -1
}

// lookup returns the port index for (mac, vlan). Lock-free, no allocation.
func (f *fdb) lookup(k uint64) (port int, ok bool) {
	i := f.find(k)
	if i < 0 {
		return 0, false
	}
	v := f.vals[i].Load()
	if f.keys[i].Load() != k { // reused under us: treat as unknown
		return 0, false
	}
	return valPort(v), true
}

// learn records that k was seen on port at now. The common case (known MAC,
// same port) is a lock-free timestamp update at most once per refreshEvery.
func (f *fdb) learn(k uint64, port int, now uint64) {
	if i := f.find(k); i >= 0 {
		v := f.vals[i].Load()
		if f.keys[i].Load() == k {
			if valStatic(v) {
				return // statics are never moved or refreshed
			}
			if valPort(v) == port {
				if now > valStamp(v) && now-valStamp(v) >= uint64(refreshEvery/stampUnit) {
					f.vals[i].CompareAndSwap(v, packVal(port, false, now))
				}
				return
			}
		}
	}
	f.mu.Lock()
	f.learnLocked(k, port, now)
	f.mu.Unlock()
}

func (f *fdb) learnLocked(k uint64, port int, now uint64) {
	if i := f.find(k); i >= 0 {
		v := f.vals[i].Load()
		if valStatic(v) {
			return // statics are never moved by learning
		}
		if valPort(v) != port { // station move
			f.unlink(i, valPort(v))
			f.vals[i].Store(packVal(port, false, now))
			f.link(int32(i), port, now)
			f.changed(k)
		}
		return
	}
	if f.count >= f.max && !f.evictOne(now) {
		return // everything is static: learn nothing
	}
	i := f.freeSlot(k, now)
	if i < 0 {
		return
	}
	f.vals[i].Store(packVal(port, false, now))
	f.keys[i].Store(k)
	f.count++
	f.link(int32(i), port, now)
	f.changed(k)
}

// freeSlot returns an empty slot in one of k's buckets, evicting a dynamic
// entry of the biggest port found there when both buckets are full.
func (f *fdb) freeSlot(k uint64, now uint64) int {
	s1, s2 := f.bucketsOf(k)
	for _, s := range [2]uint64{s1, s2} {
		for i := s; i < s+fdbWays; i++ {
			if f.keys[i].Load() == keyEmpty {
				return int(i)
			}
		}
	}
	victim, best := -1, -1
	for _, s := range [2]uint64{s1, s2} {
		for i := s; i < s+fdbWays; i++ {
			v := f.vals[i].Load()
			if valStatic(v) {
				continue
			}
			if n := f.lists[valPort(v)].dynamic; n > best {
				victim, best = int(i), n
			}
		}
	}
	if victim >= 0 {
		f.deleteSlot(victim)
		f.evicted++
	}
	return victim
}

// evictOne removes the least recently used dynamic entry of the port that
// owns the most dynamic entries.
func (f *fdb) evictOne(now uint64) bool {
	port, most := -1, 0
	for p := range f.lists {
		if f.lists[p].dynamic > most {
			port, most = p, f.lists[p].dynamic
		}
	}
	if port < 0 {
		return false
	}
	l := &f.lists[port]
	// Second chance: an entry refreshed since it was queued goes to the
	// tail once; bounded so eviction stays O(1) under a flood.
	for tries := 0; tries < 8 && l.head != l.tail; tries++ {
		i := l.head
		if valStamp(f.vals[i].Load()) <= f.meta[i].queued {
			break
		}
		f.unlink(int(i), port)
		f.link(i, port, valStamp(f.vals[i].Load()))
	}
	f.deleteSlot(int(l.head))
	f.evicted++
	return true
}

func (f *fdb) ensurePort(port int) {
	for len(f.lists) <= port {
		f.lists = append(f.lists, portList{head: -1, tail: -1})
	}
}

// link appends dynamic slot i to port's recency list.
func (f *fdb) link(i int32, port int, now uint64) {
	f.ensurePort(port)
	l := &f.lists[port]
	m := &f.meta[i]
	m.prev, m.next, m.queued = l.tail, -1, now
	if l.tail >= 0 {
		f.meta[l.tail].next = i
	} else {
		l.head = i
	}
	l.tail = i
	l.dynamic++
}

func (f *fdb) unlink(i int, port int) {
	l := &f.lists[port]
	m := &f.meta[i]
	if m.prev >= 0 {
		f.meta[m.prev].next = m.next
	} else {
		l.head = m.next
	}
	if m.next >= 0 {
		f.meta[m.next].prev = m.prev
	} else {
		l.tail = m.prev
	}
	m.prev, m.next = -1, -1
	l.dynamic--
}

// touch records that k, where it is, was seen at stamp (if that is later
// than what the table has). Lock-free, like a refresh by learn.
func (f *fdb) touch(k uint64, stamp uint64) {
	i := f.find(k)
	if i < 0 {
		return
	}
	v := f.vals[i].Load()
	if f.keys[i].Load() != k || valStatic(v) || stamp <= valStamp(v) {
		return
	}
	f.vals[i].CompareAndSwap(v, packVal(valPort(v), false, stamp))
}

// deleteSlot frees slot i. Caller holds mu.
func (f *fdb) deleteSlot(i int) {
	v := f.vals[i].Load()
	if valStatic(v) {
		f.statics--
	} else {
		f.unlink(i, valPort(v))
	}
	k := f.keys[i].Load()
	f.keys[i].Store(keyEmpty)
	f.vals[i].Store(0)
	f.count--
	f.changed(k)
}

// addStatic installs or converts an entry pinned to port.
func (f *fdb) addStatic(k uint64, port int, now uint64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ensurePort(port)
	if i := f.find(k); i >= 0 {
		v := f.vals[i].Load()
		if !valStatic(v) {
			f.unlink(i, valPort(v))
			f.statics++
		}
		f.vals[i].Store(packVal(port, true, now))
		f.changed(k)
		return nil
	}
	if f.count >= f.max && !f.evictOne(now) {
		return ErrTableFull
	}
	i := f.freeSlot(k, now)
	if i < 0 {
		return ErrTableFull
	}
	f.vals[i].Store(packVal(port, true, now))
	f.keys[i].Store(k)
	f.count++
	f.statics++
	f.changed(k)
	return nil
}

// removeStatic deletes a static entry; it reports whether one existed.
func (f *fdb) removeStatic(k uint64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	i := f.find(k)
	if i < 0 || !valStatic(f.vals[i].Load()) {
		return false
	}
	f.deleteSlot(i)
	return true
}

// fdbRow is one entry as read under the lock.
type fdbRow struct {
	key    uint64
	port   int
	static bool
	stamp  uint64
}

// each calls fn for every entry; fn returning true deletes the entry.
func (f *fdb) each(fn func(r fdbRow) (del bool)) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.count == 0 {
		return 0 // a config load flushes ports and VLANs many times over an empty table
	}
	n := 0
	for i := range f.keys {
		k := f.keys[i].Load()
		if k == keyEmpty {
			continue
		}
		v := f.vals[i].Load()
		if fn(fdbRow{key: k, port: valPort(v), static: valStatic(v), stamp: valStamp(v)}) {
			f.deleteSlot(i)
			n++
		}
	}
	return n
}

// age deletes dynamic entries not seen for the aging time.
func (f *fdb) age(now time.Time) int {
	f.mu.Lock()
	aging := f.aging
	f.mu.Unlock()
	if aging <= 0 {
		return 0
	}
	cur := f.stamp(now)
	limit := uint64(aging / stampUnit)
	return f.each(func(r fdbRow) bool {
		return !r.static && cur >= r.stamp && cur-r.stamp >= limit
	})
}

// expiring reports whether a dynamic entry is due to age out at now.
// Lock-free: a scan of the values.
func (f *fdb) expiring(now time.Time) bool {
	aging := f.agingTime()
	if aging <= 0 {
		return false
	}
	cur, limit := f.stamp(now), uint64(aging/stampUnit)
	for i := range f.vals {
		if v := f.vals[i].Load(); v != 0 && !valStatic(v) && cur >= valStamp(v) && cur-valStamp(v) >= limit {
			return true
		}
	}
	return false
}

func (f *fdb) setAging(d time.Duration) {
	f.mu.Lock()
	f.aging = d
	f.mu.Unlock()
}

func (f *fdb) agingTime() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.aging
}

func (f *fdb) stats() (count, statics int, evicted uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.count, f.statics, f.evicted
}
