//go:build linux

package engine

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"

	"github.com/mdlayher/packet"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// packetPort is a port's AF_PACKET socket. Reads and writes are batched with
// recvmmsg/sendmmsg on the non-blocking socket, parking in Go's poller when
// there is nothing to do (no busy polling). PACKET_VNET_HDR carries GSO and
// checksum-offload state both ways; PACKET_AUXDATA gives back VLAN tags the
// kernel stripped on receive; a BPF filter attached before bind drops the
// socket's own transmissions.
type packetPort struct {
	c  *packet.Conn
	rc syscall.RawConn
	// fastDetach takes the kernel fast path off the port; nil when it is
	// not attached.
	fastDetach func()
	// fastFilter is the fast path's socket filter (an eBPF program fd) the
	// sockets carry while switching; 0 when they carry inboundOnly.
	fastFilter int

	// receive side: only the port's forwarding goroutine reads.
	rxMsgs  []unix.Mmsghdr
	rxIov   []unix.Iovec
	rxVNet  [][VNetHdrLen]byte
	rxCtl   [][]byte
	rxFirst *byte // the buffers the vectors were built for
	rxN     int
	rxErr   error
	recvFn  func(fd uintptr) bool // p.recv, bound once so reads do not allocate

	txPool sync.Pool // *txScratch; WriteBatch is called concurrently

	fanout []*packetPort // further receive queues (PACKET_FANOUT_HASH)

	// Threaded reads (LinuxHostConfig.ThreadedReads): the
	// reading goroutine is locked to its OS thread and sleeps in ppoll on
	// the socket and evfd, so a frame wakes exactly that thread, without
	// a trip through Go's poller and scheduler. Close writes evfd.
	threaded bool
	locked   bool
	evfd     int
	refs     atomic.Int32 // owner + a reader inside ReadBatch; the last closes evfd
	closing  atomic.Bool
	pfds     [2]unix.PollFd
	threadFn func(fd uintptr) // p.threadRecv, bound once
}

// inboundOnly is tcpdump's "inbound": reject PACKET_OUTGOING (4).
var inboundOnly = mustAssemble([]bpf.Instruction{
	bpf.LoadExtension{Num: bpf.ExtType},
	bpf.JumpIf{Cond: bpf.JumpEqual, Val: unix.PACKET_OUTGOING, SkipTrue: 1},
	bpf.RetConstant{Val: 0x40000},
	bpf.RetConstant{Val: 0},
})

func mustAssemble(prog []bpf.Instruction) []bpf.RawInstruction {
	raw, err := bpf.Assemble(prog)
	if err != nil {
		panic(err)
	}
	return raw
}

// auxSpace is the control buffer size for one tpacket_auxdata message.
var auxSpace = unix.CmsgSpace(int(unsafe.Sizeof(unix.TpacketAuxdata{})))

// openPacketPort opens a port with queues receive sockets; more than one
// joins them in a PACKET_FANOUT_HASH group so flows spread over the engine's
// forwarding goroutines while each flow keeps its order.
// sockOpts are the per-socket settings of a port.
type sockOpts struct {
	rcvBuf, sndBuf int
	threaded       bool // see packetPort.threaded
	bypass         bool // PACKET_QDISC_BYPASS
}

func openPacketPort(li LinkInfo, o sockOpts, queues int) (*packetPort, error) {
	p, err := openPacketSocket(li, o)
	if err != nil || queues <= 1 {
		return p, err
	}
	var id int
	if err := p.control(func(fd int) error {
		// Let the kernel pick a group id no other socket uses, then read it.
		const uniq = unix.PACKET_FANOUT_HASH<<16 | unix.PACKET_FANOUT_FLAG_UNIQUEID<<16
		if err := unix.SetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_FANOUT, uniq); err != nil {
			return err
		}
		v, err := unix.GetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_FANOUT)
		id = v & 0xffff
		return err
	}); err != nil {
		p.Close()
		return nil, fmt.Errorf("fanout on %s: %w", li.Name, err)
	}
	for i := 1; i < queues; i++ {
		q, err := openPacketSocket(li, o)
		if err == nil {
			err = q.control(func(fd int) error {
				return unix.SetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_FANOUT, unix.PACKET_FANOUT_HASH<<16|id)
			})
			if err != nil {
				q.Close()
			}
		}
		if err != nil {
			p.Close()
			return nil, fmt.Errorf("fanout queue %d on %s: %w", i, li.Name, err)
		}
		p.fanout = append(p.fanout, q)
	}
	return p, nil
}

// FastPathAttached implements FastPathPort.
func (p *packetPort) FastPathAttached() bool { return p.fastDetach != nil }

// restoreFilter puts the classic inbound-only filter back on every socket.
func (p *packetPort) restoreFilter() {
	for _, q := range p.RxQueues() {
		q.(*packetPort).c.SetBPF(inboundOnly)
	}
}

func (p *packetPort) control(fn func(fd int) error) error {
	var ferr error
	err := p.rc.Control(func(fd uintptr) { ferr = fn(int(fd)) })
	if err != nil {
		return err
	}
	return ferr
}

// RxQueues implements MultiQueue.
func (p *packetPort) RxQueues() []PortIO {
	qs := []PortIO{p}
	for _, q := range p.fanout {
		qs = append(qs, q)
	}
	return qs
}

func openPacketSocket(li LinkInfo, o sockOpts) (*packetPort, error) {
	ifi := &net.Interface{Index: li.Index, Name: li.Name, MTU: li.MTU, HardwareAddr: net.HardwareAddr(li.MAC[:])}
	c, err := packet.Listen(ifi, packet.Raw, unix.ETH_P_ALL, &packet.Config{Filter: inboundOnly})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", li.Name, err)
	}
	if err := c.SetPromiscuous(true); err != nil {
		c.Close()
		return nil, fmt.Errorf("promiscuous %s: %w", li.Name, err)
	}
	rc, err := c.SyscallConn()
	if err != nil {
		c.Close()
		return nil, err
	}
	var serr error
	err = rc.Control(func(fd uintptr) {
		opts := []struct{ level, opt, val int }{
			{unix.SOL_PACKET, unix.PACKET_AUXDATA, 1},
			{unix.SOL_PACKET, unix.PACKET_VNET_HDR, 1},
			{unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, o.rcvBuf},
			{unix.SOL_SOCKET, unix.SO_SNDBUFFORCE, o.sndBuf},
		}
		if o.bypass {
			opts = append(opts, struct{ level, opt, val int }{unix.SOL_PACKET, unix.PACKET_QDISC_BYPASS, 1})
		}
		for _, so := range opts {
			if e := unix.SetsockoptInt(int(fd), so.level, so.opt, so.val); e != nil {
				serr = errors.Join(serr, fmt.Errorf("setsockopt %d/%d: %w", so.level, so.opt, e))
			}
		}
		// Frames leaving the netdev (ours, the host's, the fast path's) are
		// never lisad's business; skipping the tap spares the kernel a clone
		// per transmitted frame. Best effort: before Linux 4.20 the filter
		// (inboundOnly) alone keeps them out.
		unix.SetsockoptInt(int(fd), unix.SOL_PACKET, unix.PACKET_IGNORE_OUTGOING, 1)
	})
	if err == nil {
		err = serr
	}
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("configure %s: %w", li.Name, err)
	}
	p := &packetPort{c: c, rc: rc, evfd: -1}
	p.recvFn = p.recv
	p.refs.Store(1)
	if o.threaded {
		fd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("eventfd for %s: %w", li.Name, err)
		}
		p.threaded, p.evfd = true, fd
		p.threadFn = p.threadRecv
	}
	return p, nil
}

// prepareRx builds the recvmmsg vectors for the caller's buffers: per frame
// the vnet header, then the frame after RxHeadroom; a control buffer for the
// auxdata.
func (p *packetPort) prepareRx(frames []RxFrame) {
	n := len(frames)
	p.rxMsgs = make([]unix.Mmsghdr, n)
	p.rxIov = make([]unix.Iovec, 2*n)
	p.rxVNet = make([][VNetHdrLen]byte, n)
	p.rxCtl = make([][]byte, n)
	ctl := make([]byte, n*auxSpace)
	for i := range frames {
		p.rxCtl[i] = ctl[i*auxSpace : (i+1)*auxSpace]
		iov := p.rxIov[2*i : 2*i+2]
		iov[0].Base = &p.rxVNet[i][0]
		iov[0].SetLen(VNetHdrLen)
		buf := frames[i].Buf[RxHeadroom:]
		iov[1].Base = &buf[0]
		iov[1].SetLen(len(buf))
		h := &p.rxMsgs[i].Hdr
		h.Iov = &iov[0]
		h.Iovlen = 2
		h.Control = &p.rxCtl[i][0]
	}
	p.rxFirst = &frames[0].Buf[0]
}

// ReadBatch implements PortIO.
func (p *packetPort) ReadBatch(frames []RxFrame) (int, error) {
	if len(frames) == 0 {
		return 0, nil
	}
	if p.rxMsgs == nil || len(p.rxMsgs) != len(frames) || p.rxFirst != &frames[0].Buf[0] {
		p.prepareRx(frames)
	}
	for i := range p.rxMsgs {
		p.rxMsgs[i].Hdr.SetControllen(auxSpace)
		p.rxMsgs[i].Hdr.Flags = 0
	}
	p.rxN, p.rxErr = 0, nil
	if p.threaded {
		if err := p.readThreaded(); err != nil {
			return 0, err
		}
	} else if err := p.rc.Read(p.recvFn); err != nil {
		return 0, err
	}
	if p.rxErr != nil {
		return 0, p.rxErr
	}
	n := p.rxN
	for i := 0; i < n; i++ {
		p.finishRx(&frames[i], i)
	}
	return n, nil
}

// recv is the poller callback of ReadBatch: false means "wait until
// readable".
func (p *packetPort) recv(fd uintptr) bool {
	r, _, e := unix.Syscall6(unix.SYS_RECVMMSG, fd, uintptr(unsafe.Pointer(&p.rxMsgs[0])),
		uintptr(len(p.rxMsgs)), unix.MSG_TRUNC, 0, 0)
	switch e {
	case 0:
		p.rxN = int(r)
	case unix.EAGAIN, unix.EINTR:
		return false
	default:
		p.rxErr = e
	}
	return true
}

// readThreaded is ReadBatch's wait and receive in threaded mode.
func (p *packetPort) readThreaded() error {
	if !p.locked {
		// For the life of the reading goroutine (a port's worker): the
		// thread sleeps in the kernel for this port alone.
		runtime.LockOSThread()
		p.locked = true
	}
	if p.closing.Load() {
		return os.ErrClosed
	}
	p.refs.Add(1)
	defer p.unref()
	// Control keeps the descriptor open (and its number unused) while the
	// callback runs, even if Close is called meanwhile.
	return p.rc.Control(p.threadFn)
}

// threadRecv receives without waiting and, when nothing is queued, sleeps in
// ppoll until the socket is readable or Close signals evfd.
func (p *packetPort) threadRecv(fd uintptr) {
	for {
		r, _, e := unix.RawSyscall6(unix.SYS_RECVMMSG, fd, uintptr(unsafe.Pointer(&p.rxMsgs[0])),
			uintptr(len(p.rxMsgs)), unix.MSG_TRUNC|unix.MSG_DONTWAIT, 0, 0)
		switch e {
		case 0:
			p.rxN = int(r)
			return
		case unix.EINTR:
			continue
		case unix.EAGAIN:
		default:
			p.rxErr = e
			return
		}
		if p.closing.Load() {
			p.rxErr = os.ErrClosed
			return
		}
		p.pfds = [2]unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}, {Fd: int32(p.evfd), Events: unix.POLLIN}}
		_, _, e = unix.Syscall6(unix.SYS_PPOLL, uintptr(unsafe.Pointer(&p.pfds[0])), 2, 0, 0, 0, 0)
		if e != 0 && e != unix.EINTR {
			p.rxErr = e
			return
		}
		if p.pfds[1].Revents != 0 || p.closing.Load() {
			p.rxErr = os.ErrClosed
			return
		}
	}
}

func (p *packetPort) unref() {
	if p.refs.Add(-1) == 0 && p.evfd >= 0 {
		unix.Close(p.evfd)
	}
}

// finishRx decodes message i: vnet header, length, stripped VLAN tag.
func (p *packetPort) finishRx(f *RxFrame, i int) {
	m := &p.rxMsgs[i]
	total := int(m.Len) - VNetHdrLen
	f.Off = RxHeadroom
	if total < 0 || total > len(f.Buf)-RxHeadroom || m.Hdr.Flags&unix.MSG_TRUNC != 0 {
		f.Len = 0 // truncated or malformed: the engine drops it
		return
	}
	f.Len = total
	f.VNet.Decode(p.rxVNet[i][:])
	ctl := p.rxCtl[i][:m.Hdr.Controllen]
	if len(ctl) < unix.SizeofCmsghdr {
		return
	}
	h := (*unix.Cmsghdr)(unsafe.Pointer(&ctl[0]))
	if h.Level != unix.SOL_PACKET || h.Type != unix.PACKET_AUXDATA ||
		int(h.Len) < unix.CmsgLen(int(unsafe.Sizeof(unix.TpacketAuxdata{}))) {
		return
	}
	aux := (*unix.TpacketAuxdata)(unsafe.Pointer(&ctl[unix.CmsgLen(0)]))
	if aux.Status&unix.TP_STATUS_VLAN_VALID == 0 && aux.Vlan_tci == 0 {
		return
	}
	if total < addrsLen {
		return
	}
	// The kernel took the tag out of the frame: put it back in front of
	// the EtherType, moving only the 12 address bytes into the headroom.
	tpid := uint16(etherTypeVLAN)
	if aux.Status&unix.TP_STATUS_VLAN_TPID_VALID != 0 && aux.Vlan_tpid != 0 {
		tpid = aux.Vlan_tpid
	}
	b := f.Buf
	copy(b[0:addrsLen], b[RxHeadroom:RxHeadroom+addrsLen])
	binary.BigEndian.PutUint16(b[12:], tpid)
	binary.BigEndian.PutUint16(b[14:], aux.Vlan_tci)
	f.Off = 0
	f.Len = total + vlanTagLen
	// csum_start and hdr_len were computed on the untagged frame.
	f.VNet = f.VNet.shift(vlanTagLen)
}

// txScratch holds the sendmmsg vectors and call state of one WriteBatch.
type txScratch struct {
	msgs []unix.Mmsghdr
	iov  []unix.Iovec
	vnet [][VNetHdrLen]byte

	done, total int
	r           uintptr
	e           syscall.Errno
	sendFn      func(fd uintptr) bool // s.send, bound once
}

// send is the poller callback of WriteBatch. It never asks to wait for
// space (see ErrTxQueueFull).
func (s *txScratch) send(fd uintptr) bool {
	s.r, _, s.e = unix.Syscall6(unix.SYS_SENDMMSG, fd, uintptr(unsafe.Pointer(&s.msgs[s.done])),
		uintptr(s.total-s.done), 0, 0, 0)
	return s.e != unix.EINTR
}

// WriteBatch implements PortIO. Frames the kernel refuses (too big, link
// gone, queue full) are skipped and not counted as sent.
func (p *packetPort) WriteBatch(frames []TxFrame) (int, error) {
	if len(frames) == 0 {
		return 0, nil
	}
	s, _ := p.txPool.Get().(*txScratch)
	if s == nil {
		s = &txScratch{}
		s.sendFn = s.send
	}
	defer p.txPool.Put(s)
	if len(s.msgs) < len(frames) {
		s.msgs = make([]unix.Mmsghdr, len(frames))
		s.iov = make([]unix.Iovec, 3*len(frames))
		s.vnet = make([][VNetHdrLen]byte, len(frames))
	}
	for i := range frames {
		f := &frames[i]
		f.VNet.Encode(s.vnet[i][:])
		iov := s.iov[3*i : 3*i+3]
		iov[0].Base = &s.vnet[i][0]
		iov[0].SetLen(VNetHdrLen)
		iov[1].Base = unsafe.SliceData(f.Hdr)
		iov[1].SetLen(len(f.Hdr))
		niov := 2
		if len(f.Body) > 0 {
			iov[2].Base = unsafe.SliceData(f.Body)
			iov[2].SetLen(len(f.Body))
			niov = 3
		}
		s.msgs[i].Hdr = unix.Msghdr{Iov: &iov[0], Iovlen: uint64(niov)}
	}
	sent := 0
	s.done, s.total = 0, len(frames)
	var lastErr error
	for s.done < s.total {
		if err := p.rc.Write(s.sendFn); err != nil {
			lastErr = err
			break
		}
		if s.e == unix.EAGAIN {
			lastErr = fmt.Errorf("%w (%d frames)", ErrTxQueueFull, s.total-s.done)
			break
		}
		if s.e != 0 {
			lastErr = s.e
			s.done++ // skip the frame the kernel refused
			continue
		}
		sent += int(s.r)
		s.done += int(s.r)
	}
	clear(s.msgs[:len(frames)]) // do not keep frame buffers reachable
	clear(s.iov[:3*len(frames)])
	return sent, lastErr
}

// KernelDrops implements KernelDropper: frames dropped since the last call
// because the socket's receive queue was full (PACKET_STATISTICS, which the
// kernel resets on every read).
func (p *packetPort) KernelDrops() uint64 {
	var n uint64
	for _, q := range append([]*packetPort{p}, p.fanout...) {
		if st, err := q.c.Stats(); err == nil {
			n += uint64(st.Drops)
		}
	}
	return n
}

// Close implements PortIO; closing the socket also drops its promiscuous
// membership.
func (p *packetPort) Close() error {
	if p.fastDetach != nil {
		p.fastDetach()
	}
	err := p.closeOne()
	for _, q := range p.fanout {
		q.closeOne()
	}
	return err
}

func (p *packetPort) closeOne() error {
	if p.closing.Swap(true) {
		return nil
	}
	if p.evfd >= 0 {
		one := [8]byte{1}
		unix.Write(p.evfd, one[:])
	}
	err := p.c.Close()
	p.unref()
	return err
}
