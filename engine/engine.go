package engine

import (
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// maxPorts bounds port indexes (they are stored in 16 bits in the MAC table).
const maxPorts = 4096

// Engine is the packet engine. All methods are safe for concurrent use; the
// control plane serialises on one mutex, the forwarding path never takes it.
type Engine struct {
	log   *slog.Logger
	clock Clock
	host  Host
	batch int
	fdb   *fdb

	mu      sync.Mutex // control plane: everything below
	ports   map[string]*port
	byIndex []*port
	vdb     VLANSet
	svis    map[uint16]*port
	closed  bool

	state atomic.Pointer[fwdState]
	fast  *fastSync // nil without a kernel fast path

	groups atomic.Pointer[groupTable] // IGMP snooping, read by the forwarding path
	snoop  *snooper                   // IGMP snooping, control side

	puntFn atomic.Pointer[func(port string, frame []byte)]
	puntQ  chan puntItem

	events    chan Event
	stopWatch func()
	stopAging chan struct{}
	wg        sync.WaitGroup // punt and aging goroutines
	workers   sync.WaitGroup // one forwarding goroutine per port
}

// port is a port's runtime object: its I/O, counters and configuration.
type port struct {
	name    string
	idx     int
	io      PortIO
	cfg     PortConfig // under Engine.mu
	link    LinkInfo   // under Engine.mu
	svi     uint16     // VLAN of an SVI, 0 for ordinary ports
	ctr     portCounters
	fastCtr FastCounters // the fast path's counts at the last clear
	closing atomic.Bool
	done    chan struct{}
}

// New starts an engine with no ports and a VLAN database holding VLAN 1.
func New(cfg Config) (*Engine, error) {
	e := &Engine{
		log:       cfg.Logger,
		clock:     cfg.Clock,
		host:      cfg.Host,
		batch:     cfg.RxBatch,
		ports:     map[string]*port{},
		svis:      map[uint16]*port{},
		events:    make(chan Event, 64),
		stopAging: make(chan struct{}),
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.clock == nil {
		e.clock = systemClock{}
	}
	if e.batch <= 0 {
		e.batch = 32
	}
	if cfg.PuntQueue <= 0 {
		cfg.PuntQueue = 256
	}
	e.puntQ = make(chan puntItem, cfg.PuntQueue)
	if e.host == nil {
		h, err := NewLinuxHost(LinuxHostConfig{Logger: e.log})
		if err != nil {
			return nil, err
		}
		e.host = h
	}
	e.fdb = newFDB(cfg.MACTableSize, e.clock.Now())
	e.vdb.Add(1)
	e.state.Store(&fwdState{vdb: e.vdb})
	e.snoop = newSnooper(&e.groups)

	stop, err := e.host.WatchLinks(e.linkChanged)
	if err != nil {
		return nil, fmt.Errorf("watch links: %w", err)
	}
	e.stopWatch = stop
	if fh, ok := e.host.(FastPathHost); ok {
		if fp := fh.FastPath(); fp != nil {
			e.mu.Lock() // the link watcher may already run
			e.fast = newFastSync(e, fp)
			e.fdb.onChange = e.fast.markKey
			e.mu.Unlock()
		}
	}

	e.wg.Add(1)
	go e.puntLoop()
	if cfg.AgeInterval >= 0 {
		iv := cfg.AgeInterval
		if iv == 0 {
			iv = time.Second
		}
		e.wg.Add(1)
		go e.agingLoop(iv)
	}
	return e, nil
}

// Close removes every port and SVI (SVI netdevs are deleted) and stops the
// engine.
func (e *Engine) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	var errs []error
	for vlan := range e.svis {
		errs = append(errs, e.removeSVILocked(vlan))
	}
	for _, p := range e.ports {
		e.removePortLocked(p)
	}
	e.mu.Unlock()
	e.stopWatch()
	e.workers.Wait() // nobody punts any more
	if e.fast != nil {
		e.fast.close()
	}
	close(e.stopAging)
	close(e.puntQ)
	e.wg.Wait()
	return errors.Join(errs...)
}

// publishPort republishes the snapshot with p's current view (or without
// port index idx when p is nil). Caller holds mu. O(1): see fwdState.
func (e *Engine) publishPort(idx int, p *port) {
	var v *portView
	if p != nil {
		admin := !p.cfg.Shutdown
		v = &portView{
			p:       p,
			idx:     idx,
			admin:   admin,
			up:      admin && p.link.OperUp && !p.cfg.Routed,
			trunk:   p.cfg.Mode == Trunk,
			access:  p.cfg.AccessVLAN,
			native:  p.cfg.NativeVLAN,
			allowed: p.cfg.Allowed,
			punt:    p.cfg.PuntCDP,
			ifindex: p.link.Index,
			routed:  p.cfg.Routed,
		}
		if fp, ok := p.io.(FastPathPort); ok && p.svi == 0 {
			v.fast = fp.FastPathAttached()
		}
	}
	e.state.Store(e.state.Load().withPort(idx, v))
	if e.fast != nil {
		e.fast.markAll()
	}
}

// publishVLANs republishes the snapshot with the current VLAN database.
// Caller holds mu.
func (e *Engine) publishVLANs() {
	ns := *e.state.Load()
	ns.vdb = e.vdb
	e.state.Store(&ns)
	if e.fast != nil {
		e.fast.markAll()
	}
}

// attach registers a new port and starts its forwarding goroutine.
func (e *Engine) attach(name string, io PortIO, link LinkInfo, pc PortConfig, svi uint16) (*port, error) {
	idx := -1
	for i, p := range e.byIndex {
		if p == nil {
			idx = i
			break
		}
	}
	if idx < 0 {
		if len(e.byIndex) >= maxPorts {
			return nil, fmt.Errorf("too many ports (%d)", maxPorts)
		}
		idx = len(e.byIndex)
		e.byIndex = append(e.byIndex, nil)
	}
	p := &port{name: name, idx: idx, io: io, cfg: pc, link: link, svi: svi, done: make(chan struct{})}
	e.ports[name] = p
	e.byIndex[idx] = p
	if e.fast != nil {
		e.fast.fp.ResetCounters(idx)
	}
	e.publishPort(idx, p)
	queues := []PortIO{io}
	if mq, ok := io.(MultiQueue); ok {
		queues = mq.RxQueues()
	}
	for _, q := range queues {
		w := newWorker(e, p, q, e.batch)
		e.workers.Add(1)
		go func() {
			defer e.workers.Done()
			w.run()
		}()
	}
	return p, nil
}

// removePortLocked detaches p: stops forwarding, closes its I/O, flushes
// every MAC table entry pointing at it.
func (e *Engine) removePortLocked(p *port) {
	delete(e.ports, p.name)
	e.byIndex[p.idx] = nil
	e.publishPort(p.idx, nil)
	if e.fast != nil {
		e.fast.forgetPort(p.idx)
	}
	p.closing.Store(true)
	e.snoop.dropPort(p.idx, true) // after closing: the port's workers learn no more
	close(p.done)
	if err := p.io.Close(); err != nil {
		e.log.Warn("close port", "port", p.name, "err", err)
	}
	e.fdb.each(func(r fdbRow) bool { return r.port == p.idx })
}

func (e *Engine) lookupPort(name string) (*port, error) {
	p, ok := e.ports[name]
	if !ok || p.svi != 0 {
		return nil, fmt.Errorf("interface %s not in switch", name)
	}
	return p, nil
}

// AddPort makes netdev name a switch port with DefaultPortConfig: it is
// brought up, made promiscuous and opened with an AF_PACKET socket.
func (e *Engine) AddPort(name string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return errors.New("engine closed")
	}
	if _, ok := e.ports[name]; ok {
		return fmt.Errorf("interface %s is already in switch", name)
	}
	io, link, err := e.host.OpenPort(name)
	if err != nil {
		return err
	}
	if _, err := e.attach(name, io, link, DefaultPortConfig(), 0); err != nil {
		io.Close()
		return err
	}
	e.log.Info("port added", "port", name, "ifindex", link.Index)
	return nil
}

// RemovePort releases a port (its socket is closed, which turns
// promiscuous mode off) and flushes all of its MAC table entries.
func (e *Engine) RemovePort(name string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, err := e.lookupPort(name)
	if err != nil {
		return err
	}
	e.removePortLocked(p)
	e.log.Info("port removed", "port", name)
	return nil
}

// SetPort applies a port's whole switching configuration at once. A mode
// change (access <-> trunk) flushes the port's dynamic MACs; shutdown sets the
// netdev down and flushes them too.
func (e *Engine) SetPort(name string, pc PortConfig) error {
	if err := pc.validate(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, err := e.lookupPort(name)
	if err != nil {
		return err
	}
	old := p.cfg
	if old.Shutdown != pc.Shutdown {
		if err := e.host.SetLinkUp(name, !pc.Shutdown); err != nil {
			return fmt.Errorf("failed to %s interface: %w", map[bool]string{true: "shutdown", false: "enable"}[pc.Shutdown], err)
		}
		p.link.AdminUp = !pc.Shutdown
	}
	if old.Routed != pc.Routed {
		if err := e.setRoutedLocked(p, pc.Routed); err != nil {
			return err
		}
	}
	p.cfg = pc
	e.publishPort(p.idx, p)
	if old.Mode != pc.Mode || pc.Shutdown && !old.Shutdown || pc.Routed && !old.Routed {
		e.flushDynamicPort(p.idx)
	}
	if old.Mode != pc.Mode || old.AccessVLAN != pc.AccessVLAN || old.NativeVLAN != pc.NativeVLAN ||
		old.Allowed != pc.Allowed || old.Routed != pc.Routed || pc.Shutdown && !old.Shutdown {
		e.snoop.dropPort(p.idx, false) // group memberships of the VLANs it had
	}
	return nil
}

func (e *Engine) flushDynamicPort(idx int) int {
	return e.fdb.each(func(r fdbRow) bool { return !r.static && r.port == idx })
}

// PortConfigOf returns a port's configuration.
func (e *Engine) PortConfigOf(name string) (PortConfig, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, err := e.lookupPort(name)
	if err != nil {
		return PortConfig{}, err
	}
	return p.cfg, nil
}

// Ports lists ports (SVIs included), sorted by name.
func (e *Engine) Ports() []PortStatus {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]PortStatus, 0, len(e.ports))
	for _, p := range e.ports {
		out = append(out, e.statusLocked(p))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Port returns one port's status (SVIs included, by netdev name "vlanN").
func (e *Engine) Port(name string) (PortStatus, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, ok := e.ports[name]
	if !ok {
		return PortStatus{}, fmt.Errorf("interface %s not in switch", name)
	}
	return e.statusLocked(p), nil
}

func (e *Engine) statusLocked(p *port) PortStatus {
	st := PortStatus{LinkInfo: p.link, Config: p.cfg}
	if li, err := e.host.Link(p.name); err == nil { // fresh speed/duplex/MTU
		li.Kind = p.link.Kind
		st.LinkInfo = li
	}
	return st
}

// SetVLANs replaces the VLAN database. Frames in VLANs outside it are
// dropped; every MAC table entry of a VLAN that left it is flushed. Ports keep
// their configuration and carry a VLAN again as soon as it returns.
func (e *Engine) SetVLANs(v VLANSet) {
	v.Remove(0)
	v.Remove(4095)
	e.mu.Lock()
	defer e.mu.Unlock()
	gone := e.vdb.Minus(v)
	back := v.Minus(e.vdb)
	e.vdb = v
	e.publishVLANs()
	if !gone.IsEmpty() {
		e.fdb.each(func(r fdbRow) bool { return gone.Has(keyVLAN(r.key)) })
		e.snoop.clearVLANs(gone, true)
	}
	for vlan, p := range e.svis { // an SVI's own address comes back with its VLAN
		if back.Has(vlan) {
			e.installSVIMAC(vlan, p)
		}
	}
}

// VLANs returns the VLAN database.
func (e *Engine) VLANs() VLANSet {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.vdb
}

// SetAgingTime sets how long an idle dynamic MAC stays; 0 disables aging.
func (e *Engine) SetAgingTime(d time.Duration) { e.fdb.setAging(d) }

// AgingTime returns the aging time (0 = never).
func (e *Engine) AgingTime() time.Duration { return e.fdb.agingTime() }

// Age removes dynamic MACs idle for the aging time at now and returns how many.
// The engine calls it every AgeInterval; tests call it with a fake clock.
func (e *Engine) Age(now time.Time) int {
	if e.fast != nil && e.fast.harvestDue(now, e.fdb.agingTime(), e.fdb.expiring(now)) {
		// Stations the kernel switched were never seen here: take their
		// last-seen times first, outside the table's lock.
		err := e.fast.fp.Seen(func(mac MAC, vlan uint16, ago time.Duration) {
			e.fdb.touch(fdbKey(mac, vlan), e.fdb.stamp(now.Add(-ago)))
		})
		if err != nil {
			e.log.Warn("fast path last-seen times", "err", err)
		}
	}
	return e.fdb.age(now)
}

func (e *Engine) agingLoop(iv time.Duration) {
	defer e.wg.Done()
	t := time.NewTicker(iv)
	defer t.Stop()
	for {
		select {
		case <-e.stopAging:
			return
		case <-t.C:
			now := e.clock.Now()
			e.Age(now)
			e.AgeIGMP(now)
			e.sampleRates(now)
		}
	}
}

// AddStatic pins (mac, vlan) to port: never aged, never moved by learning;
// an existing dynamic entry is converted. Multicast addresses are refused.
func (e *Engine) AddStatic(mac MAC, vlan uint16, portName string) error {
	if mac.IsMulticast() {
		return fmt.Errorf("multicast address %s cannot be a static MAC address", mac)
	}
	if mac.IsZero() {
		return fmt.Errorf("address %s is not a valid station address", mac)
	}
	if !ValidVLAN(vlan) {
		return fmt.Errorf("VLAN %d out of range 1-4094", vlan)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, ok := e.ports[portName]
	if !ok {
		return fmt.Errorf("interface %s not in switch", portName)
	}
	return e.fdb.addStatic(fdbKey(mac, vlan), p.idx, e.fdb.stamp(e.clock.Now()))
}

// RemoveStatic deletes a static entry.
func (e *Engine) RemoveStatic(mac MAC, vlan uint16) error {
	if !e.fdb.removeStatic(fdbKey(mac, vlan)) {
		return fmt.Errorf("static address %s vlan %d not found", mac, vlan)
	}
	return nil
}

// MACTable returns the entries matching f, sorted by VLAN then MAC.
func (e *Engine) MACTable(f FDBFilter) []FDBEntry {
	e.mu.Lock()
	names := e.portNamesLocked()
	e.mu.Unlock()
	cur := e.fdb.stamp(e.clock.Now())
	var out []FDBEntry
	e.fdb.each(func(r fdbRow) bool {
		ent := e.entry(r, names, cur)
		if f.match(&ent) {
			out = append(out, ent)
		}
		return false
	})
	sort.Slice(out, func(i, j int) bool {
		if out[i].VLAN != out[j].VLAN {
			return out[i].VLAN < out[j].VLAN
		}
		return out[i].MAC.uint64() < out[j].MAC.uint64()
	})
	return out
}

func (e *Engine) entry(r fdbRow, names []string, cur uint64) FDBEntry {
	ent := FDBEntry{MAC: keyMAC(r.key), VLAN: keyVLAN(r.key), Static: r.static, Port: "N/A"}
	if r.port < len(names) && names[r.port] != "" {
		ent.Port = names[r.port]
	}
	if !r.static && cur > r.stamp {
		ent.Idle = time.Duration(cur-r.stamp) * stampUnit
	}
	return ent
}

func (e *Engine) portNamesLocked() []string {
	names := make([]string, len(e.byIndex))
	for i, p := range e.byIndex {
		if p != nil {
			names[i] = p.name
		}
	}
	return names
}

// ClearDynamic removes the dynamic entries matching f (its Type is ignored)
// and returns how many.
func (e *Engine) ClearDynamic(f FDBFilter) int {
	f.Type = DynamicEntry
	if n, _, _ := e.fdb.stats(); n == 0 {
		return 0
	}
	e.mu.Lock()
	names := e.portNamesLocked()
	e.mu.Unlock()
	cur := e.fdb.stamp(e.clock.Now())
	return e.fdb.each(func(r fdbRow) bool {
		ent := e.entry(r, names, cur)
		return f.match(&ent)
	})
}

// CountMACs summarises the MAC table.
func (e *Engine) CountMACs() MACCounts {
	n, s, ev := e.fdb.stats()
	return MACCounts{Dynamic: n - s, Static: s, Capacity: e.fdb.max, Evicted: ev}
}

// Counters returns a port's counters (SVIs by netdev name).
func (e *Engine) Counters(name string) (PortCounters, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, ok := e.ports[name]
	if !ok {
		return PortCounters{}, fmt.Errorf("interface %s not in switch", name)
	}
	return e.countersLocked(p, true), nil
}

// countersLocked reads p's counters (under e.mu); withLink adds the
// netdev's own statistics.
func (e *Engine) countersLocked(p *port, withLink bool) PortCounters {
	e.collectKernelDrops(p)
	c := p.ctr.snapshot()
	if e.fast != nil {
		f := e.fast.fp.Counters(p.idx)
		f.RxPackets -= p.fastCtr.RxPackets
		f.RxBytes -= p.fastCtr.RxBytes
		f.TxPackets -= p.fastCtr.TxPackets
		f.TxBytes -= p.fastCtr.TxBytes
		c.RxPackets += f.RxPackets
		c.RxBytes += f.RxBytes
		c.RxUnicast += f.RxPackets
		c.TxPackets += f.TxPackets
		c.TxBytes += f.TxBytes
		c.TxUnicast += f.TxPackets
		c.FastRxPackets, c.FastRxBytes, c.FastTxPackets, c.FastTxBytes = f.RxPackets, f.RxBytes, f.TxPackets, f.TxBytes
	}
	e.finishCounters(p, &c, withLink)
	return c
}

// clearLocked zeroes p's counters, the fast path's share included.
func (e *Engine) clearLocked(p *port) {
	e.collectKernelDrops(p)
	p.ctr.clear()
	if e.fast != nil {
		p.fastCtr = e.fast.fp.Counters(p.idx)
	}
	e.clearExtra(p)
}

// FastPath reports whether a kernel fast path switches known unicast.
func (e *Engine) FastPath() bool { return e.fast != nil }

// SyncFastPath brings the kernel fast path up to date with the engine's
// state now, instead of within the next moments.
func (e *Engine) SyncFastPath() {
	if e.fast != nil {
		e.fast.Sync()
	}
}

// collectKernelDrops folds the socket's drop count into the counters.
func (e *Engine) collectKernelDrops(p *port) {
	if kd, ok := p.io.(KernelDropper); ok {
		if n := kd.KernelDrops(); n != 0 {
			p.ctr.drops[DropRxQueueFull].Add(n)
		}
	}
}

// ClearCounters zeroes one port's counters, or every port's when name is "".
func (e *Engine) ClearCounters(name string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if name == "" {
		for _, p := range e.ports {
			e.clearLocked(p)
		}
		return nil
	}
	p, ok := e.ports[name]
	if !ok {
		return fmt.Errorf("interface %s not in switch", name)
	}
	e.clearLocked(p)
	return nil
}

// Send transmits a raw frame on a port (for the CDP agent). It is counted as
// transmitted by the port.
func (e *Engine) Send(name string, frame []byte) error {
	if len(frame) < ethHdrLen {
		return errors.New("frame shorter than an Ethernet header")
	}
	e.mu.Lock()
	p, ok := e.ports[name]
	e.mu.Unlock()
	if !ok {
		return fmt.Errorf("interface %s not in switch", name)
	}
	n, err := p.io.WriteBatch([]TxFrame{{Hdr: frame}})
	if n != 1 {
		p.ctr.drops[DropTxError].Add(1)
		if err == nil {
			err = errors.New("frame not sent")
		}
		return fmt.Errorf("send on %s: %w", name, err)
	}
	var t tally
	t.add(frame, len(frame))
	p.ctr.addTx(&t)
	return nil
}

// Events returns the channel of port events (carrier changes, netdevs that
// disappeared). It is buffered; when nobody reads, the oldest news is lost.
func (e *Engine) Events() <-chan Event { return e.events }

func (e *Engine) emitEvent(k EventKind, name string) {
	ev := Event{Kind: k, Port: name, At: e.clock.Now()}
	for {
		select {
		case e.events <- ev:
			return
		default:
		}
		select { // full: drop the oldest
		case <-e.events:
		default:
		}
	}
}

// linkChanged is called by the Host's link watcher.
func (e *Engine) linkChanged(l LinkInfo, gone bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return
	}
	p, ok := e.ports[l.Name]
	if !ok || (l.Index != 0 && p.link.Index != 0 && l.Index != p.link.Index) {
		return
	}
	if gone {
		if p.svi != 0 {
			delete(e.svis, p.svi)
		}
		e.removePortLocked(p)
		e.log.Info("port gone", "port", l.Name)
		e.emitEvent(PortGone, l.Name)
		return
	}
	was := p.link.OperUp
	kind := p.link.Kind
	p.link = l
	p.link.Kind = kind
	e.publishPort(p.idx, p)
	if was == l.OperUp {
		return
	}
	if l.OperUp {
		e.emitEvent(LinkUp, l.Name)
	} else {
		e.flushDynamicPort(p.idx) // stations behind a dead link are gone
		e.snoop.dropPort(p.idx, false)
		e.emitEvent(LinkDown, l.Name)
	}
}
