//go:build linux

package engine

import (
	"fmt"
	"os"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// tapPort is an SVI: a tap netdev with IFF_VNET_HDR, so the host stack's GSO
// super frames and partial checksums come and go through it unchanged. A tap
// reads and writes one frame per system call.
type tapPort struct {
	f  *os.File
	rc syscall.RawConn

	// receive side: one reader; callbacks bound once so I/O does not allocate
	rxVNet   [VNetHdrLen]byte
	rxIov    [2]unix.Iovec
	rxFrames []RxFrame
	rxN      int
	rxErr    error
	recvFn   func(fd uintptr) bool

	txMu   sync.Mutex // guards everything below
	txVNet [VNetHdrLen]byte
	txIov  [3]unix.Iovec
	txNIov int
	txE    syscall.Errno
	sendFn func(fd uintptr) bool
}

func openTap(name string) (*tapPort, error) {
	fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open /dev/net/tun: %w", err)
	}
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		unix.Close(fd)
		return nil, err
	}
	ifr.SetUint16(unix.IFF_TAP | unix.IFF_NO_PI | unix.IFF_VNET_HDR)
	if err := unix.IoctlIfreq(fd, unix.TUNSETIFF, ifr); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("create tap %s: %w", name, err)
	}
	// Let the host stack hand us GSO frames with partial checksums.
	for _, off := range []int{
		unix.TUN_F_CSUM | unix.TUN_F_TSO4 | unix.TUN_F_TSO6 | unix.TUN_F_TSO_ECN,
		unix.TUN_F_CSUM,
	} {
		if unix.IoctlSetInt(fd, unix.TUNSETOFFLOAD, off) == nil {
			break
		}
	}
	f := os.NewFile(uintptr(fd), "/dev/net/tun:"+name)
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	t := &tapPort{f: f, rc: rc}
	t.recvFn, t.sendFn = t.recv, t.send
	return t, nil
}

func readv(fd uintptr, iov []unix.Iovec) (int, syscall.Errno) {
	r, _, e := unix.Syscall(unix.SYS_READV, fd, uintptr(unsafe.Pointer(&iov[0])), uintptr(len(iov)))
	return int(r), e
}

// readOne reads one frame without blocking.
func (t *tapPort) readOne(fd uintptr, f *RxFrame) (bool, error) {
	buf := f.Buf[RxHeadroom:]
	t.rxIov[0].Base = &t.rxVNet[0]
	t.rxIov[0].SetLen(VNetHdrLen)
	t.rxIov[1].Base = &buf[0]
	t.rxIov[1].SetLen(len(buf))
	n, e := readv(fd, t.rxIov[:])
	if e == unix.EAGAIN || e == unix.EINTR {
		return false, nil
	}
	if e != 0 {
		return false, e
	}
	f.Off = RxHeadroom
	f.Len = max(n-VNetHdrLen, 0)
	f.VNet.Decode(t.rxVNet[:])
	return true, nil
}

// ReadBatch implements PortIO.
func (t *tapPort) ReadBatch(frames []RxFrame) (int, error) {
	t.rxFrames, t.rxN, t.rxErr = frames, 0, nil
	err := t.rc.Read(t.recvFn)
	n, operr := t.rxN, t.rxErr
	t.rxFrames = nil
	if n > 0 {
		return n, nil
	}
	if err != nil {
		return 0, err
	}
	return 0, operr
}

// recv is ReadBatch's poller callback: as many frames as are ready, and
// "wait until readable" when there is none.
func (t *tapPort) recv(fd uintptr) bool {
	for t.rxN < len(t.rxFrames) {
		ok, err := t.readOne(fd, &t.rxFrames[t.rxN])
		if err != nil {
			t.rxErr = err
			return true
		}
		if !ok {
			break
		}
		t.rxN++
	}
	return t.rxN > 0
}

// send is WriteBatch's poller callback (under txMu); it never waits.
func (t *tapPort) send(fd uintptr) bool {
	_, _, t.txE = unix.Syscall(unix.SYS_WRITEV, fd, uintptr(unsafe.Pointer(&t.txIov[0])), uintptr(t.txNIov))
	return t.txE != unix.EINTR
}

// WriteBatch implements PortIO.
func (t *tapPort) WriteBatch(frames []TxFrame) (int, error) {
	t.txMu.Lock()
	defer t.txMu.Unlock()
	sent := 0
	var lastErr error
	for i := range frames {
		f := &frames[i]
		f.VNet.Encode(t.txVNet[:])
		t.txIov[0].Base = &t.txVNet[0]
		t.txIov[0].SetLen(VNetHdrLen)
		t.txIov[1].Base = unsafe.SliceData(f.Hdr)
		t.txIov[1].SetLen(len(f.Hdr))
		t.txNIov = 2
		if len(f.Body) > 0 {
			t.txIov[2].Base = unsafe.SliceData(f.Body)
			t.txIov[2].SetLen(len(f.Body))
			t.txNIov = 3
		}
		err := t.rc.Write(t.sendFn)
		switch {
		case err != nil:
			return sent, err
		case t.txE == unix.EAGAIN:
			return sent, fmt.Errorf("%w (%d frames)", ErrTxQueueFull, len(frames)-i)
		case t.txE != 0:
			lastErr = t.txE
		default:
			sent++
		}
	}
	t.txIov = [3]unix.Iovec{}
	return sent, lastErr
}

// Close implements PortIO; the tap netdev disappears with its file.
func (t *tapPort) Close() error { return t.f.Close() }
