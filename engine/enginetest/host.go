package enginetest

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"

	"github.com/lisa-go/lisa/engine"
)

// Sent is a frame the engine transmitted on a fake link.
type Sent struct {
	Frame []byte
	VNet  engine.VNetHdr
}

// Host is an in-memory engine.Host.
type Host struct {
	mu       sync.Mutex
	links    map[string]*link
	watchers map[int]func(engine.LinkInfo, bool)
	nextW    int
	nextIdx  int
	fast     *FastPath // nil: the host offers none

	queued     []engine.LinkInfo // link changes not yet told to the watchers
	delivering bool
}

type link struct {
	info   engine.LinkInfo
	addrs  []netip.Prefix
	open   *fakeIO
	sent   chan Sent
	svi    bool
	failTx bool
	fullTx bool
	noFast bool // the fast path cannot attach to this link

	carrierDown bool
	routed      atomic.Bool // the engine made its port routed: not promiscuous
	fixedLink   bool        // speed and duplex cannot be changed (a real veth)
	maxMTU      int         // 0: any MTU
}

// NewHost returns a host with no links.
func NewHost() *Host {
	return &Host{links: map[string]*link{}, watchers: map[int]func(engine.LinkInfo, bool){}, nextIdx: 1}
}

// AddLink creates a fake netdev (carrier up, admin down, kind veth).
func (h *Host) AddLink(name string, mac engine.MAC) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.nextIdx++
	h.links[name] = &link{
		info: engine.LinkInfo{Name: name, Index: h.nextIdx, MAC: mac, MTU: 1500, OperUp: true, Kind: engine.KindVeth},
		sent: make(chan Sent, 4096),
	}
}

func (h *Host) get(name string) (*link, error) {
	l, ok := h.links[name]
	if !ok {
		return nil, fmt.Errorf("interface %s does not exist", name)
	}
	return l, nil
}

// OpenPort implements engine.Host.
func (h *Host) OpenPort(name string) (engine.PortIO, engine.LinkInfo, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	l, err := h.get(name)
	if err != nil {
		return nil, engine.LinkInfo{}, err
	}
	if l.open != nil && !l.open.isClosed() {
		return nil, engine.LinkInfo{}, fmt.Errorf("interface %s is busy", name)
	}
	l.info.AdminUp = true
	l.open = newFakeIO(l)
	l.open.fast = h.fast != nil && !l.noFast
	l.routed.Store(false)
	return l.open, l.info, nil
}

// CreateSVI implements engine.Host.
func (h *Host) CreateSVI(name string, mac engine.MAC) (engine.PortIO, engine.LinkInfo, error) {
	h.mu.Lock()
	if _, ok := h.links[name]; ok {
		h.mu.Unlock()
		return nil, engine.LinkInfo{}, fmt.Errorf("interface %s already exists", name)
	}
	h.mu.Unlock()
	h.AddLink(name, mac)
	h.mu.Lock()
	defer h.mu.Unlock()
	l := h.links[name]
	l.svi = true
	l.info.Kind = engine.KindTap
	l.info.AdminUp = true
	l.open = newFakeIO(l)
	return l.open, l.info, nil
}

// DeleteSVI implements engine.Host.
func (h *Host) DeleteSVI(name string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	l, err := h.get(name)
	if err != nil {
		return err
	}
	if !l.svi {
		return fmt.Errorf("interface %s is not a VLAN interface", name)
	}
	delete(h.links, name)
	return nil
}

// SetLinkUp implements engine.Host.
func (h *Host) SetLinkUp(name string, up bool) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	l, err := h.get(name)
	if err != nil {
		return err
	}
	was := l.info.OperUp
	l.info.AdminUp = up
	// As in the kernel, an interface set down loses its operational state,
	// and one set up gets its carrier's back; the change is announced
	// later, as netlink does, and in order.
	l.info.OperUp = up && !l.carrierDown
	if l.info.OperUp != was {
		h.queued = append(h.queued, l.info)
		if !h.delivering {
			h.delivering = true
			go h.deliverQueued()
		}
	}
	return nil
}

func (h *Host) deliverQueued() {
	for {
		h.mu.Lock()
		if len(h.queued) == 0 {
			h.delivering = false
			h.mu.Unlock()
			return
		}
		info := h.queued[0]
		h.queued = h.queued[1:]
		h.mu.Unlock()
		h.notify(info, false)
	}
}

// SetAddrs implements engine.Host.
func (h *Host) SetAddrs(name string, addrs []netip.Prefix) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	l, err := h.get(name)
	if err != nil {
		return err
	}
	l.addrs = append([]netip.Prefix(nil), addrs...)
	return nil
}

// Link implements engine.Host.
func (h *Host) Link(name string) (engine.LinkInfo, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	l, err := h.get(name)
	if err != nil {
		return engine.LinkInfo{}, err
	}
	return l.info, nil
}

// SetStats sets the netdev statistics a fake link reports, as if the
// kernel had counted errors and drops on it.
func (h *Host) SetStats(name string, st engine.LinkStats) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if l, ok := h.links[name]; ok {
		l.info.Stats = st
	}
}

// WatchLinks implements engine.Host.
func (h *Host) WatchLinks(fn func(engine.LinkInfo, bool)) (func(), error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	id := h.nextW
	h.nextW++
	h.watchers[id] = fn
	return func() {
		h.mu.Lock()
		delete(h.watchers, id)
		h.mu.Unlock()
	}, nil
}

func (h *Host) notify(info engine.LinkInfo, gone bool) {
	h.mu.Lock()
	ws := make([]func(engine.LinkInfo, bool), 0, len(h.watchers))
	for _, w := range h.watchers {
		ws = append(ws, w)
	}
	h.mu.Unlock()
	for _, w := range ws {
		w(info, gone)
	}
}

// SetCarrier changes a link's carrier and tells the watchers.
func (h *Host) SetCarrier(name string, up bool) {
	h.mu.Lock()
	l, err := h.get(name)
	if err != nil {
		h.mu.Unlock()
		return
	}
	l.carrierDown = !up
	l.info.OperUp = up
	info := l.info
	h.mu.Unlock()
	h.notify(info, false)
}

// DeleteLink removes a netdev as if it was unplugged and tells the watchers.
func (h *Host) DeleteLink(name string) {
	h.mu.Lock()
	l, err := h.get(name)
	if err != nil {
		h.mu.Unlock()
		return
	}
	delete(h.links, name)
	info := l.info
	h.mu.Unlock()
	h.notify(info, true)
}

// SetTxFail makes transmissions on the link fail.
func (h *Host) SetTxFail(name string, fail bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if l, err := h.get(name); err == nil {
		l.failTx = fail
	}
}

// SetTxQueueFull makes transmissions on the link fail as if its queue
// were full (engine.ErrTxQueueFull).
func (h *Host) SetTxQueueFull(name string, full bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if l, err := h.get(name); err == nil {
		l.fullTx = full
	}
}

// DropInKernel counts n frames as dropped by the kernel before the engine
// read them (a full socket receive queue).
func (h *Host) DropInKernel(name string, n uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if l, err := h.get(name); err == nil && l.open != nil {
		l.open.drops.Add(n)
	}
}

// IsOpen reports whether the engine holds the link open.
func (h *Host) IsOpen(name string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	l, err := h.get(name)
	return err == nil && l.open != nil && !l.open.isClosed()
}

// AdminUp reports a link's administrative state.
func (h *Host) AdminUp(name string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	l, err := h.get(name)
	return err == nil && l.info.AdminUp
}

// Addrs returns the addresses set on a link.
func (h *Host) Addrs(name string) []netip.Prefix {
	h.mu.Lock()
	defer h.mu.Unlock()
	if l, err := h.get(name); err == nil {
		return l.addrs
	}
	return nil
}

// Inject makes frame arrive on link name.
func (h *Host) Inject(name string, frame []byte) error {
	return h.InjectVNet(name, frame, engine.VNetHdr{})
}

// InjectVNet makes frame arrive with offload metadata.
func (h *Host) InjectVNet(name string, frame []byte, vnet engine.VNetHdr) error {
	h.mu.Lock()
	l, err := h.get(name)
	var io *fakeIO
	if err == nil {
		io = l.open
	}
	h.mu.Unlock()
	if err != nil {
		return err
	}
	if io == nil {
		return fmt.Errorf("interface %s is not open", name)
	}
	return io.inject(rxItem{frame: append([]byte(nil), frame...), vnet: vnet})
}

// Sent returns the channel of frames the engine sent on link name.
func (h *Host) Sent(name string) <-chan Sent {
	h.mu.Lock()
	defer h.mu.Unlock()
	if l, err := h.get(name); err == nil {
		return l.sent
	}
	return nil
}

type rxItem struct {
	frame []byte
	vnet  engine.VNetHdr
}

// fakeIO is the PortIO of a fake link.
type fakeIO struct {
	l      *link
	rx     chan rxItem
	closed chan struct{}
	once   sync.Once
	fast   bool
	drops  atomic.Uint64 // frames "the kernel" dropped, not yet collected
}

// KernelDrops implements engine.KernelDropper.
func (f *fakeIO) KernelDrops() uint64 { return f.drops.Swap(0) }

// FastPathAttached implements engine.FastPathPort.
func (f *fakeIO) FastPathAttached() bool { return f.fast }

func newFakeIO(l *link) *fakeIO {
	return &fakeIO{l: l, rx: make(chan rxItem, 1024), closed: make(chan struct{})}
}

func (f *fakeIO) isClosed() bool {
	select {
	case <-f.closed:
		return true
	default:
		return false
	}
}

func (f *fakeIO) inject(it rxItem) error {
	select {
	case <-f.closed:
		return errors.New("link closed")
	case f.rx <- it:
		return nil
	}
}

// ReadBatch implements engine.PortIO.
func (f *fakeIO) ReadBatch(frames []engine.RxFrame) (int, error) {
	var it rxItem
	select {
	case <-f.closed:
		return 0, os.ErrClosed
	case it = <-f.rx:
	}
	n := 0
	for {
		fr := &frames[n]
		fr.Off = engine.RxHeadroom
		fr.Len = copy(fr.Buf[fr.Off:], it.frame)
		fr.VNet = it.vnet
		n++
		if n == len(frames) {
			return n, nil
		}
		select {
		case it = <-f.rx:
		default:
			return n, nil
		}
	}
}

// WriteBatch implements engine.PortIO.
func (f *fakeIO) WriteBatch(frames []engine.TxFrame) (int, error) {
	if f.isClosed() {
		return 0, os.ErrClosed
	}
	if f.l.failTx {
		return 0, errors.New("fake transmit failure")
	}
	if f.l.fullTx {
		return 0, fmt.Errorf("fake: %w", engine.ErrTxQueueFull)
	}
	for i := range frames {
		b := make([]byte, 0, frames[i].Len())
		b = append(append(b, frames[i].Hdr...), frames[i].Body...)
		select {
		case f.l.sent <- Sent{Frame: b, VNet: frames[i].VNet}:
		default: // nobody reads: lose it like a full queue would
		}
	}
	return len(frames), nil
}

// Close implements engine.PortIO.
func (f *fakeIO) Close() error {
	f.once.Do(func() { close(f.closed) })
	return nil
}
