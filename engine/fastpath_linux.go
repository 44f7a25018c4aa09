//go:build linux

package engine

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"
)

// kernelFastPath switches known unicast between ports inside the kernel: a
// tcx ingress program on every port looks the frame up in BPF maps that
// mirror the engine's MAC table and redirects it straight to the egress
// netdev, tag pushed or popped, without a copy to lisad and back. Everything
// else (flooding, learning, CDP, drops with their reasons, SVIs) stays on the
// AF_PACKET path.
//
// AF_PACKET taps see a frame before tc ingress does, so each port socket
// carries an eBPF socket filter that takes the same decision against the
// same maps and refuses the frames the fast path will take; a frame is
// therefore switched exactly once. The two programs are generated from one
// instruction sequence (fastPathDecision) so they cannot disagree, except
// for a frame that arrives while lisad changes the entry it hits.
//
// Maps (all keyed and valued in host byte order):
//
//	ports: ifindex u32 -> {pvid u16, flags u16 (1 = trunk), slot u32}
//	fdb:   {mac [6]byte, vlan u16} -> {ifindex u32, slot u16, flags u16 (1 = tagged egress), last seen ns u64}
//	stats: per-CPU array by slot -> {rx packets, rx bytes, tx packets, tx bytes}
type kernelFastPath struct {
	log    *slog.Logger
	ports  *ebpf.Map
	fdb    *ebpf.Map
	stats  *ebpf.Map
	tc     *ebpf.Program
	filter *ebpf.Program
}

const (
	fpPortFlagTrunk = 1
	fpEntryFlagTag  = 1
	fpMaxEntries    = 1 << 16
	fpSocketAccept  = 0x40000 // snap length: the whole frame
	fpSeenEvery     = 1 << 30 // ns between last-seen writes of one station (~1 s)
	tcxNext         = -1      // on to the next tcx program, legacy tc, then the stack
	tcxDrop         = 2
)

// __sk_buff field offsets (uapi/linux/bpf.h).
const (
	skbLen         = 0
	skbPktType     = 4
	skbProtocol    = 16
	skbVLANPresent = 20
	skbVLANTCI     = 24
	skbVLANProto   = 28
	skbIfindex     = 40
	skbData        = 76
	skbDataEnd     = 80
)

// newKernelFastPath creates the maps and loads both programs. It fails on a
// kernel without BPF, tcx or the needed helpers; the caller then forwards in
// lisad only.
func newKernelFastPath(log *slog.Logger, maxSlots, maxEntries int) (*kernelFastPath, error) {
	k := &kernelFastPath{log: log}
	if maxEntries <= 0 {
		maxEntries = fpMaxEntries
	}
	var err error
	if k.ports, err = ebpf.NewMap(&ebpf.MapSpec{Name: "lisa_ports", Type: ebpf.Hash, KeySize: 4, ValueSize: 8, MaxEntries: uint32(maxSlots)}); err != nil {
		return nil, fmt.Errorf("ports map: %w", err)
	}
	if k.fdb, err = ebpf.NewMap(&ebpf.MapSpec{Name: "lisa_fdb", Type: ebpf.Hash, KeySize: 8, ValueSize: 16, MaxEntries: uint32(maxEntries)}); err != nil {
		k.Close()
		return nil, fmt.Errorf("fdb map: %w", err)
	}
	if k.stats, err = ebpf.NewMap(&ebpf.MapSpec{Name: "lisa_stats", Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: 32, MaxEntries: uint32(maxSlots)}); err != nil {
		k.Close()
		return nil, fmt.Errorf("stats map: %w", err)
	}
	if k.tc, err = ebpf.NewProgram(&ebpf.ProgramSpec{Name: "lisa_fast", Type: ebpf.SchedCLS, License: "GPL",
		Instructions: fastPathProgram(k, true)}); err != nil {
		k.Close()
		return nil, fmt.Errorf("load tc program: %w", err)
	}
	if k.filter, err = ebpf.NewProgram(&ebpf.ProgramSpec{Name: "lisa_sockfilter", Type: ebpf.SocketFilter, License: "GPL",
		Instructions: fastPathProgram(k, false)}); err != nil {
		k.Close()
		return nil, fmt.Errorf("load socket filter: %w", err)
	}
	return k, nil
}

// Close releases programs and maps (attached links keep the programs alive
// until they are closed).
func (k *kernelFastPath) Close() {
	for _, c := range []interface{ Close() error }{k.tc, k.filter, k.ports, k.fdb, k.stats} {
		if c != nil && !isNilCloser(c) {
			c.Close()
		}
	}
}

func isNilCloser(c interface{ Close() error }) bool {
	switch v := c.(type) {
	case *ebpf.Map:
		return v == nil
	case *ebpf.Program:
		return v == nil
	}
	return false
}

// The programs' stack (offsets from the frame pointer).
const (
	keySrc  = -8  // fdb key of the source: mac, vlan
	keyDst  = -16 // fdb key of the destination
	keyPort = -24 // u32 ifindex or slot
	saveLen = -32 // u32 frame length on arrival
)

// fastPathProgram is the tc ingress program (tc true) or the port sockets'
// filter (tc false). Both run the same decision; only what follows differs.
func fastPathProgram(k *kernelFastPath, tc bool) asm.Instructions {
	slow := "slow"
	ins := asm.Instructions{
		asm.Mov.Reg(asm.R6, asm.R1),
		asm.LoadMem(asm.R2, asm.R6, skbPktType, asm.Word),
	}
	if !tc {
		// The socket's own transmissions and frames the fast path sent
		// out of this port: never back to lisad.
		ins = append(ins, asm.JEq.Imm(asm.R2, unix.PACKET_OUTGOING, "refuse"))
	}
	ins = append(ins, seq(
		asm.JEq.Imm(asm.R2, unix.PACKET_HOST, "unicast"),
		asm.JNE.Imm(asm.R2, unix.PACKET_OTHERHOST, slow),
		// A second tag behind the one the kernel took off: lisad's business.
		asm.LoadMem(asm.R2, asm.R6, skbProtocol, asm.Word).WithSymbol("unicast"),
		asm.JEq.Imm(asm.R2, int32(htons(etherTypeVLAN)), slow),
		asm.JEq.Imm(asm.R2, int32(htons(0x88a8)), slow),
		asm.LoadMem(asm.R2, asm.R6, skbLen, asm.Word),
		asm.StoreMem(asm.RFP, saveLen, asm.R2, asm.Word),
		// The ingress port, as lisad last published it (absent: down, an
		// SVI or not a port).
		asm.LoadMem(asm.R2, asm.R6, skbIfindex, asm.Word),
		asm.StoreMem(asm.RFP, keyPort, asm.R2, asm.Word),
		lookup(k.ports, keyPort, slow),
		asm.Mov.Reg(asm.R7, asm.R0),
		// Classify: a tag (the kernel keeps it in the skb) only on a trunk,
		// VID 0 left to lisad; untagged takes the port's access or native
		// VLAN.
		asm.LoadMem(asm.R2, asm.R6, skbVLANPresent, asm.Word),
		asm.JEq.Imm(asm.R2, 0, "untagged"),
		// An 802.1ad outer tag is not a VLAN tag to lisad (it counts the
		// frame as untagged): lisad's business.
		asm.LoadMem(asm.R2, asm.R6, skbVLANProto, asm.Word),
		asm.JNE.Imm(asm.R2, int32(htons(etherTypeVLAN)), slow),
		asm.LoadMem(asm.R8, asm.R6, skbVLANTCI, asm.Word),
		asm.And.Imm(asm.R8, 0x0fff),
		asm.JEq.Imm(asm.R8, 0, slow),
		asm.LoadMem(asm.R2, asm.R7, 2, asm.Half),
		asm.And.Imm(asm.R2, fpPortFlagTrunk),
		asm.JEq.Imm(asm.R2, 0, slow),
		// The tag the kernel holds aside counts in the frame's length, as
		// lisad counts it.
		asm.LoadMem(asm.R2, asm.RFP, saveLen, asm.Word),
		asm.Add.Imm(asm.R2, vlanTagLen),
		asm.StoreMem(asm.RFP, saveLen, asm.R2, asm.Word),
		asm.Ja.Label("classified"),
		asm.LoadMem(asm.R8, asm.R7, 0, asm.Half).WithSymbol("untagged"),
		asm.JEq.Imm(asm.R8, 0, slow),
	)...)
	// Addresses into the two keys: read in place by the tc program; a
	// socket filter may not, so it asks a helper.
	if tc {
		ins = append(ins,
			asm.LoadMem(asm.R2, asm.R6, skbData, asm.Word).WithSymbol("classified"),
			asm.LoadMem(asm.R3, asm.R6, skbDataEnd, asm.Word),
			asm.Mov.Reg(asm.R4, asm.R2),
			asm.Add.Imm(asm.R4, 12),
			asm.JGT.Reg(asm.R4, asm.R3, slow),
			asm.LoadMem(asm.R4, asm.R2, 0, asm.Word),
			asm.StoreMem(asm.RFP, keyDst, asm.R4, asm.Word),
			asm.LoadMem(asm.R4, asm.R2, 4, asm.Half),
			asm.StoreMem(asm.RFP, keyDst+4, asm.R4, asm.Half),
			asm.LoadMem(asm.R4, asm.R2, 6, asm.Half),
			asm.StoreMem(asm.RFP, keySrc, asm.R4, asm.Half),
			asm.LoadMem(asm.R4, asm.R2, 8, asm.Half), // the stack wants aligned stores
			asm.StoreMem(asm.RFP, keySrc+2, asm.R4, asm.Half),
			asm.LoadMem(asm.R4, asm.R2, 10, asm.Half),
			asm.StoreMem(asm.RFP, keySrc+4, asm.R4, asm.Half),
		)
	} else {
		for i, addr := range []struct{ at, key int32 }{{0, keyDst}, {6, keySrc}} {
			first := asm.Mov.Reg(asm.R1, asm.R6)
			if i == 0 {
				first = first.WithSymbol("classified")
			}
			ins = append(ins,
				first,
				asm.Mov.Imm(asm.R2, addr.at),
				asm.Mov.Reg(asm.R3, asm.RFP),
				asm.Add.Imm(asm.R3, addr.key),
				asm.Mov.Imm(asm.R4, 6),
				asm.FnSkbLoadBytes.Call(),
				asm.JNE.Imm(asm.R0, 0, slow),
			)
		}
	}
	ins = append(ins, seq(
		asm.StoreMem(asm.RFP, keyDst+6, asm.R8, asm.Half),
		asm.StoreMem(asm.RFP, keySrc+6, asm.R8, asm.Half),
		// Group destinations are flooded (or punted) by lisad.
		asm.LoadMem(asm.R2, asm.RFP, keyDst, asm.Byte),
		asm.And.Imm(asm.R2, 1),
		asm.JNE.Imm(asm.R2, 0, slow),
		// The source must be a station lisad learned on this very port in
		// this VLAN: anything new or moved is learned by lisad first.
		lookup(k.fdb, keySrc, slow),
		asm.LoadMem(asm.R2, asm.R0, 0, asm.Word),
		asm.LoadMem(asm.R3, asm.R6, skbIfindex, asm.Word),
		asm.JNE.Reg(asm.R2, asm.R3, slow),
	)...)
	if tc {
		// Keep the station alive in lisad's aging: stamp it at most about
		// once a second, so busy stations do not bounce a cache line.
		ins = append(ins,
			asm.Mov.Reg(asm.R9, asm.R0),
			asm.FnKtimeGetCoarseNs.Call(),
			asm.LoadMem(asm.R2, asm.R9, 8, asm.DWord),
			asm.Mov.Reg(asm.R3, asm.R0),
			asm.Sub.Reg(asm.R3, asm.R2),
			asm.JLT.Imm(asm.R3, fpSeenEvery, "seen"),
			asm.StoreMem(asm.R9, 8, asm.R0, asm.DWord),
			asm.Mov.Imm(asm.R0, 0).WithSymbol("seen"),
		)
	}
	ins = append(ins, seq(
		// A known destination on another port that carries the VLAN.
		lookup(k.fdb, keyDst, slow),
		asm.Mov.Reg(asm.R9, asm.R0),
		asm.LoadMem(asm.R2, asm.R9, 0, asm.Word),
		asm.LoadMem(asm.R3, asm.R6, skbIfindex, asm.Word),
		asm.JEq.Reg(asm.R2, asm.R3, slow),
	)...)
	if !tc {
		return append(ins,
			asm.Mov.Imm(asm.R0, 0).WithSymbol("refuse"),
			asm.Return(),
			asm.Mov.Imm(asm.R0, fpSocketAccept).WithSymbol(slow),
			asm.Return(),
		)
	}
	ins = append(ins,
		// Egress tagging: a tagged egress keeps an arriving tag (and its
		// PCP) or pushes one with PCP 0; an untagged egress pops.
		asm.LoadMem(asm.R2, asm.R9, 6, asm.Half),
		asm.And.Imm(asm.R2, fpEntryFlagTag),
		asm.LoadMem(asm.R3, asm.R6, skbVLANPresent, asm.Word),
		asm.JEq.Imm(asm.R2, 0, "untag"),
		asm.JNE.Imm(asm.R3, 0, "count"),
		asm.Mov.Reg(asm.R1, asm.R6),
		asm.Mov.Imm(asm.R2, int32(htons(etherTypeVLAN))),
		asm.Mov.Reg(asm.R3, asm.R8),
		asm.FnSkbVlanPush.Call(),
		asm.JNE.Imm(asm.R0, 0, "shot"),
		asm.Ja.Label("count"),
		asm.JEq.Imm(asm.R3, 0, "count").WithSymbol("untag"),
		asm.Mov.Reg(asm.R1, asm.R6),
		asm.FnSkbVlanPop.Call(),
		asm.JNE.Imm(asm.R0, 0, "shot"),
	)
	// Counters: received on the ingress slot, sent on the egress slot.
	ins = append(ins, countFrame(k, asm.LoadMem(asm.R2, asm.R7, 4, asm.Word).WithSymbol("count"), 0,
		asm.Instructions{asm.LoadMem(asm.R3, asm.RFP, saveLen, asm.Word)}, "counted_rx")...)
	ins = append(ins, countFrame(k, asm.LoadMem(asm.R2, asm.R9, 4, asm.Half).WithSymbol("counted_rx"), 16,
		asm.Instructions{ // the length as sent: a tag pushed or kept is metadata, not in skb->len
			asm.LoadMem(asm.R3, asm.R6, skbLen, asm.Word),
			asm.LoadMem(asm.R4, asm.R9, 6, asm.Half),
			asm.And.Imm(asm.R4, fpEntryFlagTag),
			asm.LSh.Imm(asm.R4, 2), // 1 -> vlanTagLen
			asm.Add.Reg(asm.R3, asm.R4),
		}, "redirect")...)
	return append(ins,
		asm.LoadMem(asm.R1, asm.R9, 0, asm.Word).WithSymbol("redirect"),
		asm.Mov.Imm(asm.R2, 0),
		asm.FnRedirect.Call(),
		asm.Return(),
		asm.Mov.Imm(asm.R0, tcxDrop).WithSymbol("shot"),
		asm.Return(),
		asm.Mov.Imm(asm.R0, tcxNext).WithSymbol(slow),
		asm.Return(),
	)
}

// countFrame adds one frame to the stats slot that loadSlot puts in R2: the
// packet counter at off, and the length that loadLen puts in R3 (it may use
// R4) to the byte counter after it; then it goes on at label next.
func countFrame(k *kernelFastPath, loadSlot asm.Instruction, off int16, loadLen asm.Instructions, next string) asm.Instructions {
	return seq(
		loadSlot,
		asm.StoreMem(asm.RFP, keyPort, asm.R2, asm.Word),
		lookup(k.stats, keyPort, next),
		asm.LoadMem(asm.R2, asm.R0, off, asm.DWord),
		asm.Add.Imm(asm.R2, 1),
		asm.StoreMem(asm.R0, off, asm.R2, asm.DWord),
		asm.LoadMem(asm.R2, asm.R0, off+8, asm.DWord),
		loadLen,
		asm.Add.Reg(asm.R2, asm.R3),
		asm.StoreMem(asm.R0, off+8, asm.R2, asm.DWord),
	)
}

// lookup looks up the key at stack offset key in m: R0 is the value, or the
// program goes to miss.
func lookup(m *ebpf.Map, key int16, miss string) asm.Instructions {
	return asm.Instructions{
		asm.LoadMapPtr(asm.R1, m.FD()),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, int32(key)),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, miss),
	}
}

// seq flattens instructions and lists of them into one list.
func seq(parts ...any) asm.Instructions {
	var out asm.Instructions
	for _, p := range parts {
		switch v := p.(type) {
		case asm.Instruction:
			out = append(out, v)
		case asm.Instructions:
			out = append(out, v...)
		default:
			panic(fmt.Sprintf("seq: %T", p))
		}
	}
	return out
}

func htons(v uint16) uint16 {
	var b [2]byte
	binary.BigEndian.PutUint16(b[:], v)
	return binary.NativeEndian.Uint16(b[:])
}

// attach puts the socket filter on every socket of p, then the tc program
// on the netdev's ingress. The returned function undoes both.
func (k *kernelFastPath) attach(p *packetPort, ifindex int) (func(), error) {
	for _, q := range p.RxQueues() {
		err := q.(*packetPort).control(func(fd int) error {
			return unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ATTACH_BPF, k.filter.FD())
		})
		if err != nil {
			return nil, fmt.Errorf("socket filter: %w", err)
		}
	}
	l, err := link.AttachTCX(link.TCXOptions{Interface: ifindex, Program: k.tc, Attach: ebpf.AttachTCXIngress})
	if err != nil {
		return nil, fmt.Errorf("tcx ingress: %w", err)
	}
	return func() { l.Close() }, nil
}

// fpPortVal and fpEntryVal are the maps' values.
type fpPortVal struct {
	PVID  uint16
	Flags uint16
	Slot  uint32
}

type fpEntryVal struct {
	Ifindex uint32
	Slot    uint16
	Flags   uint16
	Seen    uint64
}

func fpKey(m MAC, vlan uint16) [8]byte {
	var b [8]byte
	copy(b[:6], m[:])
	binary.NativeEndian.PutUint16(b[6:], vlan)
	return b
}

// SetPort implements FastPath.
func (k *kernelFastPath) SetPort(slot int, p FastPort) error {
	v := fpPortVal{PVID: p.PVID, Slot: uint32(slot)}
	if p.Trunk {
		v.Flags |= fpPortFlagTrunk
	}
	return k.ports.Put(uint32(p.Ifindex), v)
}

// DeletePort implements FastPath.
func (k *kernelFastPath) DeletePort(ifindex int) error {
	err := k.ports.Delete(uint32(ifindex))
	if errors.Is(err, ebpf.ErrKeyNotExist) {
		return nil
	}
	return err
}

// SetEntry implements FastPath. The last-seen stamp starts at zero: "not
// seen by the fast path yet".
func (k *kernelFastPath) SetEntry(mac MAC, vlan uint16, e FastEntry) error {
	v := fpEntryVal{Ifindex: uint32(e.Ifindex), Slot: uint16(e.Slot)}
	if e.Tagged {
		v.Flags |= fpEntryFlagTag
	}
	return k.fdb.Put(fpKey(mac, vlan), v)
}

// DeleteEntry implements FastPath.
func (k *kernelFastPath) DeleteEntry(mac MAC, vlan uint16) error {
	err := k.fdb.Delete(fpKey(mac, vlan))
	if errors.Is(err, ebpf.ErrKeyNotExist) {
		return nil
	}
	return err
}

// Seen implements FastPath: the whole map in a few batched reads.
func (k *kernelFastPath) Seen(fn func(mac MAC, vlan uint16, ago time.Duration)) error {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		return err
	}
	now := uint64(ts.Nano()) // the program stamps with the coarse clock: a few ms behind at most
	const chunk = 4096
	keys := make([][8]byte, chunk)
	vals := make([]fpEntryVal, chunk)
	var cursor ebpf.MapBatchCursor
	for {
		n, err := k.fdb.BatchLookup(&cursor, keys, vals, nil)
		for i := range n {
			if v := vals[i]; v.Seen != 0 {
				var m MAC
				copy(m[:], keys[i][:6])
				fn(m, binary.NativeEndian.Uint16(keys[i][6:]), time.Duration(now-min(now, v.Seen)))
			}
		}
		if errors.Is(err, ebpf.ErrKeyNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// Counters implements FastPath.
func (k *kernelFastPath) Counters(slot int) FastCounters {
	var per [][4]uint64
	if err := k.stats.Lookup(uint32(slot), &per); err != nil {
		return FastCounters{}
	}
	var c FastCounters
	for _, v := range per {
		c.RxPackets += v[0]
		c.RxBytes += v[1]
		c.TxPackets += v[2]
		c.TxBytes += v[3]
	}
	return c
}

// ResetCounters implements FastPath.
func (k *kernelFastPath) ResetCounters(slot int) {
	zero := make([][4]uint64, ebpf.MustPossibleCPU())
	if err := k.stats.Put(uint32(slot), zero); err != nil {
		k.log.Warn("fast path counters", "slot", slot, "err", err)
	}
}

// ProbeKernelFastPath loads the fast path's maps and programs and releases
// them: nil when this kernel and these privileges can run it.
func ProbeKernelFastPath() error {
	k, err := newKernelFastPath(slog.New(slog.DiscardHandler), 4, 4)
	if err != nil {
		return err
	}
	k.Close()
	return nil
}
