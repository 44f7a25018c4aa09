package engine

import (
	"fmt"
	"net/netip"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// IGMP snooping.
//
// Membership lives in its own table, not in the MAC table: per VLAN, the
// groups (IPv4 addresses, not their 01:00:5e MACs, which alias 32 groups
// each) with their member ports, and the multicast router ports (static, or
// learned from IGMP queries and PIM hellos). The forwarding goroutines never
// lock it: they read an immutable groupTable behind an atomic pointer, in
// which every group already holds its members plus the VLAN's router ports
// as one port bitmap. A membership change (a join, a leave, an expiry, a new
// router port) rebuilds the changed VLANs' part of that table and publishes
// it once per received batch; a report that only refreshes a membership
// changes a timer under the snooper's lock and publishes nothing. Joins and
// refreshes are rare next to frames, so a multicast frame costs one map
// lookup and no allocation.

// IGMP snooping timers and bounds, IOS's defaults.
const (
	// IGMPMembershipInterval is how long a port stays a group member
	// after its last report: robustness 2 x query interval 125 s +
	// query response interval 10 s.
	IGMPMembershipInterval = 260 * time.Second
	// MrouterTimeout is how long a port stays a multicast router port
	// after the last query or PIM hello it received.
	MrouterTimeout = 300 * time.Second
	// MaxIGMPGroups bounds the learned groups, all VLANs together;
	// reports for further groups are forwarded but not learned.
	MaxIGMPGroups = 4096
)

// IGMPGroup is a learned multicast group of a VLAN.
type IGMPGroup struct {
	VLAN    uint16
	Group   netip.Addr
	Version uint8    // IGMP version of the last report (1-3)
	Ports   []string // member ports, by name
}

// MrouterPort is a multicast router port of a VLAN.
type MrouterPort struct {
	VLAN    uint16
	Port    string
	Static  bool // configured
	Dynamic bool // learned from IGMP queries or PIM hellos
}

// portSet is a bitmap of port indexes.
type portSet []uint64

func (s portSet) has(i int) bool {
	w := i >> 6
	return w < len(s) && s[w]>>(uint(i)&63)&1 != 0
}

// othersThan reports whether the set holds a port other than i.
func (s portSet) othersThan(i int) bool {
	for w, x := range s {
		if w == i>>6 {
			x &^= 1 << (uint(i) & 63)
		}
		if x != 0 {
			return true
		}
	}
	return false
}

func (s *portSet) add(i int) {
	for len(*s) <= i>>6 {
		*s = append(*s, 0)
	}
	(*s)[i>>6] |= 1 << (uint(i) & 63)
}

// groupTable is the immutable snooping state the forwarding path reads.
type groupTable struct {
	on    VLANSet // VLANs with snooping on
	vlans map[uint16]*vlanTable
}

// vlanTable is one VLAN's part of a groupTable; nil when the VLAN has
// neither groups nor router ports.
type vlanTable struct {
	mrouters portSet            // nil when none
	groups   map[uint32]portSet // group -> members and router ports
}

// snooper is the control side of IGMP snooping: the mutable membership,
// under mu, and the publication of groupTables.
type snooper struct {
	pub *atomic.Pointer[groupTable]

	mu      sync.Mutex
	on      VLANSet
	vlans   map[uint16]*snoopVLAN
	dirty   map[uint16]bool // VLANs whose published part is stale
	ngroups int
}

type snoopVLAN struct {
	groups   map[uint32]*snoopGroup
	mrouters map[int]*mrouterState
}

type snoopGroup struct {
	members map[int]time.Time // port index -> membership expiry
	version uint8
}

type mrouterState struct {
	static bool
	until  time.Time // learned: a router port until then (zero: not learned)
}

func newSnooper(pub *atomic.Pointer[groupTable]) *snooper {
	s := &snooper{pub: pub, on: AllVLANs(), vlans: map[uint16]*snoopVLAN{}, dirty: map[uint16]bool{}}
	pub.Store(&groupTable{on: s.on, vlans: map[uint16]*vlanTable{}})
	return s
}

func ip4Key(a [4]byte) uint32 {
	return uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
}

func keyIP4(k uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(k >> 24), byte(k >> 16), byte(k >> 8), byte(k)})
}

// vlan returns VLAN id's state, created if needed. Caller holds mu.
func (s *snooper) vlan(id uint16) *snoopVLAN {
	v := s.vlans[id]
	if v == nil {
		v = &snoopVLAN{groups: map[uint32]*snoopGroup{}, mrouters: map[int]*mrouterState{}}
		s.vlans[id] = v
	}
	return v
}

// learn applies an IGMP or PIM message received on port p in vlan at now.
// It reports whether the published table has become stale (publish).
func (s *snooper) learn(p *port, vlan uint16, m *ipv4Mcast, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.closing.Load() || !s.on.Has(vlan) {
		return false // the port is leaving: its index may be reused
	}
	changed := false
	switch m.kind {
	case mcastQuery, mcastPIMHello:
		v := s.vlan(vlan)
		mr := v.mrouters[p.idx]
		if mr == nil {
			mr = &mrouterState{}
			v.mrouters[p.idx] = mr
		}
		if mr.until.IsZero() && !mr.static {
			changed = true
		}
		mr.until = now.Add(MrouterTimeout)
	case mcastReport:
		changed = s.join(vlan, m.group, p.idx, m.version, now)
	case mcastLeave:
		changed = s.leave(vlan, m.group, p.idx)
	case mcastV3Report:
		b := m.records
		for i := 0; i < m.nrec; i++ {
			r, rest, ok := nextRecord(b)
			if !ok {
				break
			}
			b = rest
			switch {
			case r.join():
				changed = s.join(vlan, r.group, p.idx, 3, now) || changed
			case r.leave():
				changed = s.leave(vlan, r.group, p.idx) || changed
			}
		}
	}
	if changed {
		s.dirty[vlan] = true
	}
	return changed
}

// join makes port idx a member of group in vlan until now plus the
// membership interval. Caller holds mu.
func (s *snooper) join(vlan uint16, group [4]byte, idx int, version uint8, now time.Time) bool {
	if !isGroup(group) {
		return false
	}
	v := s.vlan(vlan)
	k := ip4Key(group)
	g := v.groups[k]
	changed := false
	if g == nil {
		if s.ngroups >= MaxIGMPGroups {
			return false
		}
		g = &snoopGroup{members: map[int]time.Time{}}
		v.groups[k] = g
		s.ngroups++
	}
	if _, ok := g.members[idx]; !ok {
		changed = true
	}
	g.members[idx] = now.Add(IGMPMembershipInterval)
	g.version = version
	return changed
}

// leave takes port idx out of group at once (immediate leave: a VM's port
// has one host behind it). Caller holds mu.
func (s *snooper) leave(vlan uint16, group [4]byte, idx int) bool {
	v := s.vlans[vlan]
	if v == nil {
		return false
	}
	k := ip4Key(group)
	g := v.groups[k]
	if g == nil {
		return false
	}
	if _, ok := g.members[idx]; !ok {
		return false
	}
	delete(g.members, idx)
	if len(g.members) == 0 {
		delete(v.groups, k)
		s.ngroups--
	}
	return true
}

// publish rebuilds the stale VLANs' part of the table and publishes it.
func (s *snooper) publish() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.publishLocked()
}

func (s *snooper) publishLocked() {
	old := s.pub.Load()
	if len(s.dirty) == 0 && old.on == s.on {
		return
	}
	nt := &groupTable{on: s.on, vlans: make(map[uint16]*vlanTable, len(old.vlans)+len(s.dirty))}
	for id, vt := range old.vlans {
		if !s.dirty[id] {
			nt.vlans[id] = vt
		}
	}
	for id := range s.dirty {
		v := s.vlans[id]
		if v == nil {
			continue
		}
		if len(v.groups) == 0 && len(v.mrouters) == 0 {
			delete(s.vlans, id)
			continue
		}
		vt := &vlanTable{groups: make(map[uint32]portSet, len(v.groups))}
		for idx := range v.mrouters {
			vt.mrouters.add(idx)
		}
		for k, g := range v.groups {
			set := append(portSet(nil), vt.mrouters...)
			for idx := range g.members {
				set.add(idx)
			}
			vt.groups[k] = set
		}
		nt.vlans[id] = vt
	}
	clear(s.dirty)
	s.pub.Store(nt)
}

// age expires memberships and learned router ports at now; it returns how
// many went.
func (s *snooper) age(now time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, v := range s.vlans {
		for k, g := range v.groups {
			for idx, until := range g.members {
				if !now.Before(until) {
					delete(g.members, idx)
					s.dirty[id] = true
					n++
				}
			}
			if len(g.members) == 0 {
				delete(v.groups, k)
				s.ngroups--
			}
		}
		for idx, mr := range v.mrouters {
			if !mr.until.IsZero() && !now.Before(mr.until) {
				mr.until = time.Time{}
				if !mr.static {
					delete(v.mrouters, idx)
					s.dirty[id] = true
				}
				n++
			}
		}
	}
	s.publishLocked()
	return n
}

// dropPort takes port idx out of every group and its learned router port
// roles; withStatic removes its static router ports too (port removed).
func (s *snooper) dropPort(idx int, withStatic bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, v := range s.vlans {
		for k, g := range v.groups {
			if _, ok := g.members[idx]; ok {
				delete(g.members, idx)
				s.dirty[id] = true
				if len(g.members) == 0 {
					delete(v.groups, k)
					s.ngroups--
				}
			}
		}
		if mr := v.mrouters[idx]; mr != nil {
			mr.until = time.Time{}
			if withStatic || !mr.static {
				delete(v.mrouters, idx)
				s.dirty[id] = true
			}
		}
	}
	s.publishLocked()
}

// clearVLANs forgets the groups and learned router ports of the VLANs in
// set (static router ports stay); it returns how many groups went.
func (s *snooper) clearVLANs(set VLANSet, routers bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.clearLocked(set, routers)
	s.publishLocked()
	return n
}

func (s *snooper) clearLocked(set VLANSet, routers bool) int {
	n := 0
	for id, v := range s.vlans {
		if !set.Has(id) {
			continue
		}
		n += len(v.groups)
		s.ngroups -= len(v.groups)
		if len(v.groups) > 0 {
			clear(v.groups)
			s.dirty[id] = true
		}
		if !routers {
			continue
		}
		for idx, mr := range v.mrouters {
			mr.until = time.Time{}
			if !mr.static {
				delete(v.mrouters, idx)
				s.dirty[id] = true
			}
		}
	}
	return n
}

// setOn sets the VLANs with snooping on; VLANs turned off forget their
// groups and learned router ports.
func (s *snooper) setOn(on VLANSet) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clearLocked(s.on.Minus(on), true)
	s.on = on
	s.publishLocked()
}

// setStatic adds or removes a static router port.
func (s *snooper) setStatic(vlan uint16, idx int, on bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	var mr *mrouterState
	if v := s.vlans[vlan]; v != nil {
		mr = v.mrouters[idx]
	}
	if !on && (mr == nil || !mr.static) {
		return false
	}
	v := s.vlan(vlan)
	switch {
	case on && mr == nil:
		v.mrouters[idx] = &mrouterState{static: true}
		s.dirty[vlan] = true
	case on:
		mr.static = true
	case mr.until.IsZero():
		delete(v.mrouters, idx)
		s.dirty[vlan] = true
	default:
		mr.static = false
	}
	s.publishLocked()
	return true
}

// SetIGMPSnooping sets the VLANs where IGMP snooping is on (all of them when
// the engine starts, as on a Catalyst). In the others IPv4 multicast floods
// like broadcast, and turning a VLAN off forgets its groups and learned
// multicast router ports; static router ports stay configured.
func (e *Engine) SetIGMPSnooping(on VLANSet) { e.snoop.setOn(on) }

// IGMPSnooping returns the VLANs where IGMP snooping is on.
func (e *Engine) IGMPSnooping() VLANSet {
	e.snoop.mu.Lock()
	defer e.snoop.mu.Unlock()
	return e.snoop.on
}

// AddMrouter makes a port a static multicast router port of vlan: it gets
// the VLAN's IGMP reports and leaves and all of its IPv4 multicast.
func (e *Engine) AddMrouter(vlan uint16, portName string) error {
	if !ValidVLAN(vlan) {
		return fmt.Errorf("VLAN %d out of range 1-4094", vlan)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, err := e.lookupPort(portName)
	if err != nil {
		return err
	}
	e.snoop.setStatic(vlan, p.idx, true)
	return nil
}

// RemoveMrouter removes a static multicast router port (one learned from
// queries stays until it ages out).
func (e *Engine) RemoveMrouter(vlan uint16, portName string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, err := e.lookupPort(portName)
	if err != nil {
		return err
	}
	if !e.snoop.setStatic(vlan, p.idx, false) {
		return fmt.Errorf("interface %s is not a static multicast router port of VLAN %d", portName, vlan)
	}
	return nil
}

// IGMPGroups lists the learned groups of vlan (0: every VLAN), by VLAN then
// group; each group's ports are its members, sorted by name.
func (e *Engine) IGMPGroups(vlan uint16) []IGMPGroup {
	e.mu.Lock()
	names := e.portNamesLocked()
	e.mu.Unlock()
	s := e.snoop
	s.mu.Lock()
	var out []IGMPGroup
	for id, v := range s.vlans {
		if vlan != 0 && id != vlan {
			continue
		}
		for k, g := range v.groups {
			ent := IGMPGroup{VLAN: id, Group: keyIP4(k), Version: g.version}
			for idx := range g.members {
				if idx < len(names) && names[idx] != "" {
					ent.Ports = append(ent.Ports, names[idx])
				}
			}
			sort.Strings(ent.Ports)
			out = append(out, ent)
		}
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].VLAN != out[j].VLAN {
			return out[i].VLAN < out[j].VLAN
		}
		return out[i].Group.Less(out[j].Group)
	})
	return out
}

// Mrouters lists the multicast router ports of vlan (0: every VLAN), by
// VLAN then port name, one entry per port and VLAN.
func (e *Engine) Mrouters(vlan uint16) []MrouterPort {
	e.mu.Lock()
	names := e.portNamesLocked()
	e.mu.Unlock()
	s := e.snoop
	s.mu.Lock()
	var out []MrouterPort
	for id, v := range s.vlans {
		if vlan != 0 && id != vlan {
			continue
		}
		for idx, mr := range v.mrouters {
			if idx < len(names) && names[idx] != "" {
				out = append(out, MrouterPort{VLAN: id, Port: names[idx], Static: mr.static, Dynamic: !mr.until.IsZero()})
			}
		}
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].VLAN != out[j].VLAN {
			return out[i].VLAN < out[j].VLAN
		}
		return out[i].Port < out[j].Port
	})
	return out
}

// ClearIGMPGroups forgets the learned groups of vlan (0: every VLAN) and
// returns how many; hosts report them again at the next query.
func (e *Engine) ClearIGMPGroups(vlan uint16) int {
	set := AllVLANs()
	if vlan != 0 {
		set = NewVLANSet(vlan)
	}
	return e.snoop.clearVLANs(set, false)
}

// AgeIGMP expires group memberships and learned multicast router ports at
// now and returns how many went. The engine calls it every AgeInterval;
// tests call it with a fake clock.
func (e *Engine) AgeIGMP(now time.Time) int { return e.snoop.age(now) }

// snoop decides an IPv4 multicast frame (destination 01:00:5e:...) of a VLAN
// where snooping is on, learning from IGMP and PIM. It reports whether it
// decided (f.out is a port set, or none); false leaves the frame to flooding:
// snooping off, not IPv4, link-local groups (224.0.0.0/24), queries and PIM
// hellos, and unknown groups in a VLAN without a router port.
func (w *worker) snoop(f *frameOut, fr []byte, off int, vlan uint16) bool {
	gt := w.e.groups.Load()
	if !gt.on.Has(vlan) || len(fr) < off+2 || uint16(fr[off])<<8|uint16(fr[off+1]) != etherTypeIPv4 {
		return false
	}
	m, ok := decodeIPv4Mcast(fr[off+2:])
	if !ok {
		return false
	}
	vt := gt.vlans[vlan]
	switch m.kind {
	case mcastReport, mcastLeave, mcastV3Report:
		// Reports and leaves go to the routers only, as on a Catalyst:
		// hosts do not hear each other's reports.
		if w.e.snoop.learn(w.p, vlan, &m, w.now) {
			w.snoopDirty = true
		}
		var routers portSet
		if vt != nil {
			routers = vt.mrouters
		}
		w.toSet(f, routers)
		return true
	case mcastQuery, mcastPIMHello:
		// Queries from 0.0.0.0 come from other snooping switches, not
		// routers.
		if m.src != [4]byte{} && w.e.snoop.learn(w.p, vlan, &m, w.now) {
			w.snoopDirty = true
		}
		return false
	}
	if !isGroup(m.dst) || vt == nil {
		return false
	}
	if set, ok := vt.groups[ip4Key(m.dst)]; ok {
		w.toSet(f, set)
		return true
	}
	if vt.mrouters != nil {
		w.toSet(f, vt.mrouters)
		return true
	}
	return false
}

// toSet sends f to the ports of set other than the ingress port.
func (w *worker) toSet(f *frameOut, set portSet) {
	if !set.othersThan(w.p.idx) {
		f.out = outNone
		return
	}
	f.out, f.set = outSet, set
	for i, x := range set {
		w.union[i] |= x
	}
	w.unionLen = max(w.unionLen, len(set))
	w.nset++
}

// unionHas reports whether a port set frame of the batch goes to idx.
func (w *worker) unionHas(idx int) bool {
	return idx>>6 < w.unionLen && w.union[idx>>6]>>(uint(idx)&63)&1 != 0
}
