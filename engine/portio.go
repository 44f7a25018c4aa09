package engine

import (
	"encoding/binary"
	"errors"
)

// ErrTxQueueFull is returned (wrapped) by WriteBatch when it stopped because
// the egress queue was full. The engine drops the rest of the batch, as a
// congested switch port does, instead of blocking the ingress port's other
// traffic behind it.
var ErrTxQueueFull = errors.New("transmit queue full")

// PortIO is the narrow I/O seam of a port. The Linux implementation is an
// AF_PACKET socket (or a tap for an SVI); tests use a fake. The engine calls
// ReadBatch from exactly one goroutine per port; WriteBatch may be called
// concurrently by the forwarding goroutines of other ports.
type PortIO interface {
	// ReadBatch blocks until at least one frame is available, fills up to
	// len(frames) entries and returns how many. Each RxFrame arrives with
	// Buf set by the engine (at least RxHeadroom+MaxFrameLen bytes); the
	// implementation sets Off/Len so that Buf[Off:Off+Len] is the whole
	// Ethernet frame, with any 802.1Q tag the kernel stripped restored, and
	// VNet describes its offload state. It returns an error once closed.
	ReadBatch(frames []RxFrame) (int, error)
	// WriteBatch transmits the frames (each Hdr followed by Body) and
	// returns how many were sent. It does not wait for queue space: when
	// the queue is full it returns an error wrapping ErrTxQueueFull.
	WriteBatch(frames []TxFrame) (int, error)
	// Close unblocks ReadBatch and releases the port.
	Close() error
}

// MultiQueue is implemented by a PortIO that receives on several queues
// (e.g. AF_PACKET fanout sockets that spread flows by hash, so one flow stays
// in order on one queue). The engine runs one forwarding goroutine per queue;
// it still writes through the PortIO itself.
type MultiQueue interface {
	RxQueues() []PortIO
}

// KernelDropper is implemented by a PortIO that can tell how many frames the
// kernel dropped before the engine could read them (socket queue full).
type KernelDropper interface {
	KernelDrops() uint64
}

// RxHeadroom is the space an implementation may use in front of a received
// frame, e.g. to re-insert a VLAN tag without moving the payload.
const RxHeadroom = 4

// MaxFrameLen is the largest frame the engine accepts: a 64 KiB GSO super
// frame plus an Ethernet header and two tags.
const MaxFrameLen = 65536 + 14 + 8

// RxFrame is one received frame in an engine-owned buffer.
type RxFrame struct {
	Buf  []byte
	Off  int
	Len  int
	VNet VNetHdr
}

// Frame returns the frame bytes.
func (f *RxFrame) Frame() []byte { return f.Buf[f.Off : f.Off+f.Len] }

// TxFrame is one frame to send, gathered from a rewritten Ethernet header
// (addresses plus tag, if any) and the untouched rest of the frame, so tags
// are inserted or stripped per egress port without copying payloads.
type TxFrame struct {
	VNet VNetHdr
	Hdr  []byte
	Body []byte
}

// Len returns the frame length on the wire (without the vnet header).
func (f *TxFrame) Len() int { return len(f.Hdr) + len(f.Body) }

// VNetHdr is struct virtio_net_hdr (legacy layout, native byte order as
// AF_PACKET and tun use it on little- and big-endian hosts alike). It carries
// GSO and checksum-offload state so super frames and CHECKSUM_PARTIAL frames
// cross the switch untouched.
type VNetHdr struct {
	Flags      uint8
	GSOType    uint8
	HdrLen     uint16
	GSOSize    uint16
	CsumStart  uint16
	CsumOffset uint16
}

// VNetHdrLen is sizeof(struct virtio_net_hdr).
const VNetHdrLen = 10

// virtio_net_hdr flag and GSO constants.
const (
	VNetFlagNeedsCsum = 1
	VNetFlagDataValid = 2
	VNetGSONone       = 0
	VNetGSOTCPv4      = 1
	VNetGSOUDP        = 3
	VNetGSOTCPv6      = 4
	VNetGSOUDPL4      = 5
	VNetGSOECN        = 0x80
)

// Decode reads a header from b (at least VNetHdrLen bytes).
func (h *VNetHdr) Decode(b []byte) {
	_ = b[9]
	h.Flags = b[0]
	h.GSOType = b[1]
	h.HdrLen = binary.NativeEndian.Uint16(b[2:])
	h.GSOSize = binary.NativeEndian.Uint16(b[4:])
	h.CsumStart = binary.NativeEndian.Uint16(b[6:])
	h.CsumOffset = binary.NativeEndian.Uint16(b[8:])
}

// Encode writes the header into b (at least VNetHdrLen bytes).
func (h *VNetHdr) Encode(b []byte) {
	_ = b[9]
	b[0] = h.Flags
	b[1] = h.GSOType
	binary.NativeEndian.PutUint16(b[2:], h.HdrLen)
	binary.NativeEndian.PutUint16(b[4:], h.GSOSize)
	binary.NativeEndian.PutUint16(b[6:], h.CsumStart)
	binary.NativeEndian.PutUint16(b[8:], h.CsumOffset)
}

// shift moves the header-relative offsets by delta bytes, for a tag inserted
// (+4) or stripped (-4) in front of them.
func (h VNetHdr) shift(delta int) VNetHdr {
	if h.Flags&VNetFlagNeedsCsum != 0 {
		h.CsumStart = uint16(int(h.CsumStart) + delta)
	}
	if h.HdrLen != 0 {
		h.HdrLen = uint16(int(h.HdrLen) + delta)
	}
	return h
}
