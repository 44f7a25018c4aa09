//go:build linux

package engine

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// LinuxHostConfig configures NewLinuxHost.
type LinuxHostConfig struct {
	Logger *slog.Logger
	// RcvBuf and SndBuf size each port socket's buffers (SO_RCVBUFFORCE,
	// SO_SNDBUFFORCE); 0 means 8 MiB and 4 MiB. The namespace defaults are
	// far too small for TCP through a userspace switch.
	RcvBuf, SndBuf int
	// RxQueues is how many receive sockets (and forwarding goroutines)
	// each port gets, joined by PACKET_FANOUT_HASH; 0 means 1. More queues
	// let several flows entering one port use several cores.
	RxQueues int
	// ThreadedReads locks each port's reader to an OS thread of its own
	// that sleeps in ppoll, instead of waiting in Go's network poller (the
	// default). Measured on a 2-core VM: no better latency, fewer frames
	// per second (docs/benchmarks.md); kept to repeat the measurement.
	ThreadedReads bool
	// QdiscBypass sets PACKET_QDISC_BYPASS on port sockets: transmitted
	// frames go straight to the driver, skipping the netdev's queueing
	// discipline (tc shaping on a port would not apply).
	QdiscBypass bool
	// FastPath switches known unicast between ports in the kernel (a tcx
	// ingress program per port, see kernelFastPath) instead of copying it
	// through lisad. When the kernel cannot (no BPF, no tcx), the host
	// logs why and forwards everything in lisad.
	FastPath bool
	// FastPathEntries is how many stations the fast path holds (0: 65536);
	// lisad sets it to its MAC table size. Stations beyond stay with lisad.
	FastPathEntries int
}

// linuxHost is the real Host: netlink for links and addresses, AF_PACKET for
// ports, tap for SVIs. It remembers the network namespace it was created in
// and does every socket-creating operation there, so the engine keeps working
// when later calls come from goroutines on threads in another namespace (as
// in tests that run the engine in a namespace of their own).
type linuxHost struct {
	log      *slog.Logger
	ns       netns.NsHandle
	nl       *netlink.Handle
	rcvBuf   int
	sndBuf   int
	queues   int
	threaded bool
	bypass   bool
	fast     *kernelFastPath // nil: none
}

// NewLinuxHost returns the real Linux host, bound to the network namespace of
// the calling OS thread.
func NewLinuxHost(cfg LinuxHostConfig) (Host, error) {
	ns, err := netns.Get()
	if err != nil {
		return nil, fmt.Errorf("current network namespace: %w", err)
	}
	nl, err := netlink.NewHandleAt(ns)
	if err != nil {
		ns.Close()
		return nil, fmt.Errorf("netlink: %w", err)
	}
	h := &linuxHost{log: cfg.Logger, ns: ns, nl: nl, rcvBuf: cfg.RcvBuf, sndBuf: cfg.SndBuf, queues: max(cfg.RxQueues, 1), threaded: cfg.ThreadedReads, bypass: cfg.QdiscBypass}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.rcvBuf == 0 {
		h.rcvBuf = 8 << 20
	}
	if h.sndBuf == 0 {
		h.sndBuf = 4 << 20
	}
	if cfg.FastPath {
		k, err := newKernelFastPath(h.log, maxPorts, cfg.FastPathEntries)
		if err != nil {
			h.log.Warn("kernel fast path unavailable; every frame is switched in lisad", "err", err)
		} else {
			h.fast = k
			h.log.Info("kernel fast path ready: known unicast is switched by tcx programs")
		}
	}
	return h, nil
}

// FastPath implements FastPathHost.
func (h *linuxHost) FastPath() FastPath {
	if h.fast == nil {
		return nil
	}
	return h.fast
}

// do runs fn on a locked OS thread inside the host's namespace.
func (h *linuxHost) do(fn func() error) error {
	runtime.LockOSThread()
	cur, err := netns.Get()
	if err != nil {
		runtime.UnlockOSThread()
		return err
	}
	defer cur.Close()
	if cur.Equal(h.ns) {
		defer runtime.UnlockOSThread()
		return fn()
	}
	if err := netns.Set(h.ns); err != nil {
		runtime.UnlockOSThread()
		return fmt.Errorf("enter network namespace: %w", err)
	}
	ferr := fn()
	if err := netns.Set(cur); err != nil {
		// Leave the thread locked: it dies with this goroutine instead of
		// running other goroutines in the wrong namespace.
		return errors.Join(ferr, fmt.Errorf("restore network namespace: %w", err))
	}
	runtime.UnlockOSThread()
	return ferr
}

func (h *linuxHost) linkByName(name string) (netlink.Link, error) {
	l, err := h.nl.LinkByName(name)
	if err != nil {
		var nf netlink.LinkNotFoundError
		if errors.As(err, &nf) || errors.Is(err, unix.ENODEV) {
			return nil, fmt.Errorf("interface %s does not exist", name)
		}
		return nil, fmt.Errorf("interface %s: %w", name, err)
	}
	return l, nil
}

func linkInfo(l netlink.Link) LinkInfo {
	a := l.Attrs()
	li := LinkInfo{
		Name:    a.Name,
		Index:   a.Index,
		MTU:     a.MTU,
		AdminUp: a.Flags&net.FlagUp != 0,
		OperUp:  a.RawFlags&unix.IFF_LOWER_UP != 0,
	}
	copy(li.MAC[:], a.HardwareAddr)
	if st := a.Statistics; st != nil {
		li.Stats = LinkStats{
			RxErrors: st.RxErrors, RxDropped: st.RxDropped,
			RxLengthErrors: st.RxLengthErrors, RxOverErrors: st.RxOverErrors,
			RxCRCErrors: st.RxCrcErrors, RxFrameErrors: st.RxFrameErrors,
			RxFIFOErrors: st.RxFifoErrors, RxMissed: st.RxMissedErrors,
			TxErrors: st.TxErrors, TxDropped: st.TxDropped, TxCarrierErrors: st.TxCarrierErrors,
			TxFIFOErrors: st.TxFifoErrors, TxAbortedErrors: st.TxAbortedErrors, Collisions: st.Collisions,
		}
	}
	switch l.Type() {
	case "veth":
		li.Kind = KindVeth
	case "tuntap":
		li.Kind = KindTap
	case "device":
		li.Kind = KindPhysical
	}
	return li
}

// OpenPort implements Host.
func (h *linuxHost) OpenPort(name string) (PortIO, LinkInfo, error) {
	var pio PortIO
	var li LinkInfo
	err := h.do(func() error {
		l, err := h.linkByName(name)
		if err != nil {
			return err
		}
		if err := h.nl.LinkSetUp(l); err != nil {
			return fmt.Errorf("set %s up: %w", name, err)
		}
		if l, err = h.linkByName(name); err != nil {
			return err
		}
		li = linkInfo(l)
		pp, err := openPacketPort(li, sockOpts{rcvBuf: h.rcvBuf, sndBuf: h.sndBuf, threaded: h.threaded, bypass: h.bypass}, h.queues)
		if err != nil {
			return err
		}
		if h.fast != nil {
			if detach, err := h.fast.attach(pp, li.Index); err != nil {
				// Back to the plain filter: this port is switched in lisad.
				h.log.Warn("kernel fast path not attached; port switched in lisad", "port", name, "err", err)
				pp.restoreFilter()
			} else {
				pp.fastDetach = detach
				pp.fastFilter = h.fast.filter.FD()
			}
		}
		pio = pp
		return nil
	})
	if err != nil {
		return nil, LinkInfo{}, err
	}
	li.Speed, li.Duplex = h.speedDuplex(name)
	return pio, li, nil
}

// CreateSVI implements Host.
func (h *linuxHost) CreateSVI(name string, mac MAC) (PortIO, LinkInfo, error) {
	var pio PortIO
	var li LinkInfo
	err := h.do(func() error {
		if _, err := h.nl.LinkByName(name); err == nil {
			return fmt.Errorf("interface %s already exists", name)
		}
		t, err := openTap(name)
		if err != nil {
			return err
		}
		l, err := h.linkByName(name)
		if err == nil {
			err = h.nl.LinkSetHardwareAddr(l, net.HardwareAddr(mac[:]))
		}
		if err == nil {
			err = h.nl.LinkSetUp(l)
		}
		if err == nil {
			l, err = h.linkByName(name)
		}
		if err != nil {
			t.Close()
			return fmt.Errorf("set up %s: %w", name, err)
		}
		li = linkInfo(l)
		li.Kind = KindSVI
		pio = t
		return nil
	})
	return pio, li, err
}

// DeleteSVI implements Host. The tap disappears when its file is closed;
// this removes it if something still holds it.
func (h *linuxHost) DeleteSVI(name string) error {
	l, err := h.nl.LinkByName(name)
	if err != nil {
		return nil // already gone with its file
	}
	if err := h.nl.LinkDel(l); err != nil && !errors.Is(err, unix.ENODEV) {
		return fmt.Errorf("delete %s: %w", name, err)
	}
	return nil
}

// SetLinkUp implements Host.
func (h *linuxHost) SetLinkUp(name string, up bool) error {
	l, err := h.linkByName(name)
	if err != nil {
		return err
	}
	if up {
		return h.nl.LinkSetUp(l)
	}
	return h.nl.LinkSetDown(l)
}

// SetAddrs implements Host.
func (h *linuxHost) SetAddrs(name string, addrs []netip.Prefix) error {
	l, err := h.linkByName(name)
	if err != nil {
		return err
	}
	want := map[netip.Prefix]bool{}
	for _, p := range addrs {
		want[p] = true
	}
	have, err := h.nl.AddrList(l, netlink.FAMILY_ALL)
	if err != nil {
		return fmt.Errorf("list addresses of %s: %w", name, err)
	}
	var errs []error
	for _, a := range have {
		p, ok := prefixOf(a.IPNet)
		if !ok || a.IP.IsLinkLocalUnicast() {
			continue
		}
		if want[p] {
			delete(want, p)
			continue
		}
		if err := h.nl.AddrDel(l, &a); err != nil {
			errs = append(errs, fmt.Errorf("remove %s from %s: %w", p, name, err))
		}
	}
	for _, p := range addrs { // in the caller's order: the first is primary
		if !want[p] {
			continue
		}
		a := &netlink.Addr{IPNet: &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}}
		if err := h.nl.AddrAdd(l, a); err != nil {
			errs = append(errs, fmt.Errorf("add %s to %s: %w", p, name, err))
		}
	}
	return errors.Join(errs...)
}

func prefixOf(n *net.IPNet) (netip.Prefix, bool) {
	if n == nil {
		return netip.Prefix{}, false
	}
	a, ok := netip.AddrFromSlice(n.IP)
	if !ok {
		return netip.Prefix{}, false
	}
	ones, _ := n.Mask.Size()
	return netip.PrefixFrom(a.Unmap(), ones), true
}

// Link implements Host.
func (h *linuxHost) Link(name string) (LinkInfo, error) {
	l, err := h.linkByName(name)
	if err != nil {
		return LinkInfo{}, err
	}
	li := linkInfo(l)
	li.Speed, li.Duplex = h.speedDuplex(name)
	return li, nil
}

// WatchLinks implements Host.
func (h *linuxHost) WatchLinks(fn func(LinkInfo, bool)) (func(), error) {
	ch := make(chan netlink.LinkUpdate, 256)
	done := make(chan struct{})
	ns := h.ns
	var stopped atomic.Bool
	err := netlink.LinkSubscribeWithOptions(ch, done, netlink.LinkSubscribeOptions{
		Namespace: &ns,
		ErrorCallback: func(err error) {
			if !stopped.Load() { // closing the socket on stop is not news
				h.log.Warn("link watch", "err", err)
			}
		},
	})
	if err != nil {
		return nil, err
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			case u, ok := <-ch:
				if !ok {
					return
				}
				fn(linkInfo(u.Link), u.Header.Type == unix.RTM_DELLINK)
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			stopped.Store(true)
			close(done)
			wg.Wait()
		})
	}, nil
}
