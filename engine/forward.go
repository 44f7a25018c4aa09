package engine

import (
	"encoding/binary"
	"errors"
	"math/bits"
	"os"
	"runtime"
	"slices"
	"sync"
	"syscall"
	"time"
)

// worker is the run-to-completion forwarding loop of one ingress port: read
// a batch, decide every frame, then send the batch to each egress port in
// one vector. All its buffers are allocated once, so steady-state forwarding
// allocates nothing; its memory does not grow with the number of ports.
type worker struct {
	e    *Engine
	p    *port
	q    PortIO // the receive queue this worker reads
	rx   []RxFrame
	fo   []frameOut                    // per rx frame: the decision
	tagh [][vlanTagLen + addrsLen]byte // per rx frame: a rewritten tagged header
	txs  []TxFrame                     // one egress port's vector
	slab *slabRef

	touched   []int // distinct unicast egress indexes of the batch
	nflood    int   // frames of the batch to flood
	floodVLAN uint16
	floodMix  bool // flooded frames are in more than one VLAN
	// IGMP snooping: frames of the batch sent to a port set, the union
	// of their sets (words [0, unionLen)), whether the batch changed the
	// group table, and the batch's arrival time.
	nset       int
	union      [maxChunks]uint64
	unionLen   int
	snoopDirty bool
	now        time.Time
	rxT        tally
	drops      [NumDropReasons]uint64
}

// Frame decisions (frameOut.out); values >= 0 are a unicast egress index.
const (
	outNone  = -1
	outFlood = -2
	outSet   = -3 // the ports of frameOut.set (IGMP snooping)
)

// slabRef owns a worker's receive buffers.
type slabRef struct {
	b    []byte
	once sync.Once
	free func()
}

func (s *slabRef) release() { s.once.Do(s.free) }

func newWorker(e *Engine, p *port, q PortIO, batch int) *worker {
	w := &worker{e: e, p: p, q: q, rx: make([]RxFrame, batch), fo: make([]frameOut, batch),
		tagh: make([][16]byte, batch), txs: make([]TxFrame, 0, batch), touched: make([]int, 0, batch)}
	const size = RxHeadroom + MaxFrameLen
	b, free := allocSlab(batch * size)
	w.slab = &slabRef{b: b, free: free}
	// A worker a test made and never ran gives its buffers back when it is
	// collected; run gives them back when the port closes.
	runtime.AddCleanup(w, func(s *slabRef) { s.release() }, w.slab)
	for i := range w.rx {
		w.rx[i].Buf = b[i*size : (i+1)*size : (i+1)*size]
	}
	return w
}

// run reads until the port is closed.
func (w *worker) run() {
	defer w.slab.release()
	for {
		n, err := w.q.ReadBatch(w.rx)
		if n > 0 {
			w.process(w.rx[:n])
		}
		if err != nil {
			if w.p.closing.Load() || errors.Is(err, os.ErrClosed) {
				return
			}
			if errors.Is(err, syscall.ENETDOWN) {
				continue // link went down; reads resume when it is up
			}
			w.e.log.Warn("port read failed", "port", w.p.name, "err", err)
			select {
			case <-w.p.done:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
}

// process forwards one received batch.
func (w *worker) process(frames []RxFrame) {
	st := w.e.state.Load()
	in := st.port(w.p.idx)
	if in != nil && in.p != w.p {
		in = nil // removed, and the index reused by another port
	}
	w.now = w.e.clock.Now()
	now := w.e.fdb.stamp(w.now)
	for i := range frames {
		w.handle(st, in, &frames[i], i, now)
	}
	if w.snoopDirty {
		w.snoopDirty = false
		w.e.snoop.publish()
	}
	w.flush(st, len(frames))
	c := &w.p.ctr
	for r, n := range w.drops {
		if n != 0 {
			c.drops[r].Add(n)
			w.drops[r] = 0
		}
	}
	c.addRx(&w.rxT) // last, so a test seeing the rx count knows the batch is done
}

func (w *worker) handle(st *fwdState, in *portView, rf *RxFrame, i int, now uint64) {
	f := &w.fo[i]
	f.out = outNone
	fr := rf.Frame()
	if len(fr) < ethHdrLen {
		w.drops[DropMalformed]++
		return
	}
	w.rxT.add(fr, len(fr))
	if in == nil || !in.admin {
		w.drops[DropAdminDown]++
		return
	}
	dst := (*MAC)(fr[0:6])
	src := (*MAC)(fr[6:12])
	tagged := binary.BigEndian.Uint16(fr[12:]) == etherTypeVLAN && len(fr) >= ethHdrLen+vlanTagLen
	var tci uint16
	bodyOff := addrsLen
	if tagged {
		tci = binary.BigEndian.Uint16(fr[14:])
		bodyOff += vlanTagLen
	}

	if *dst == cdpDest && in.punt && isCDP(fr, bodyOff) {
		w.e.punt(w.p, fr, &w.drops)
		return
	}
	if in.routed {
		return // the host's IP stack has its own copy; nothing is switched
	}
	if dst.IsReserved() {
		w.drops[DropReservedMulticast]++
		return
	}

	// Classify. VID 0 (priority tag) counts as untagged.
	vid := tci & 0x0fff
	var vlan uint16
	if !in.trunk {
		if tagged && vid != 0 {
			w.drops[DropTaggedOnAccess]++
			return
		}
		vlan = in.access
	} else {
		if !tagged || vid == 0 {
			if in.native == 0 {
				w.drops[DropUntaggedOnTrunk]++
				return
			}
			vlan = in.native
		} else {
			vlan = vid
		}
		if !in.allowed.Has(vlan) {
			w.drops[DropVLANNotAllowed]++
			return
		}
	}
	if !st.vdb.Has(vlan) {
		w.drops[DropVLANUnknown]++
		return
	}
	if src.IsMulticast() || src.IsZero() {
		w.drops[DropInvalidSource]++
		return
	}
	w.e.fdb.learn(fdbKey(*src, vlan), w.p.idx, now)

	*f = frameOut{rf: rf, fr: fr, bodyOff: bodyOff, tagged: tagged, tci: tci, vlan: vlan, hdr: &w.tagh[i], out: outNone}
	if !dst.IsMulticast() {
		if oi, ok := w.e.fdb.lookup(fdbKey(*dst, vlan)); ok {
			if oi == w.p.idx {
				w.drops[DropSamePort]++
				return
			}
			out := st.port(oi)
			if out == nil || !out.up || !out.carries(vlan) {
				w.drops[DropEgressUnavailable]++
				return
			}
			f.out = oi
			if !slices.Contains(w.touched, oi) {
				w.touched = append(w.touched, oi)
			}
			return
		}
	} else if dst[0] == 0x01 && dst[1] == 0x00 && dst[2] == 0x5e && w.snoop(f, fr, bodyOff, vlan) {
		return // IPv4 multicast, decided by IGMP snooping
	}
	f.out = outFlood
	if w.nflood == 0 {
		w.floodVLAN = vlan
	} else if vlan != w.floodVLAN {
		w.floodMix = true
	}
	w.nflood++
}

// frameOut is a classified frame and its lazily built tagged header.
type frameOut struct {
	rf       *RxFrame
	fr       []byte
	bodyOff  int // 12 or 16: where the EtherType/length starts
	tagged   bool
	tci      uint16
	vlan     uint16
	hdr      *[16]byte
	hdrBuilt bool
	out      int     // unicast egress index, outFlood, outSet or outNone
	set      portSet // outSet: the egress ports (the ingress port excluded when sending)
}

// txFor returns the frame as it leaves a port that tags (or not).
func (f *frameOut) txFor(tag bool) TxFrame {
	body := f.fr[f.bodyOff:]
	if !tag {
		return TxFrame{VNet: f.rf.VNet.shift(addrsLen - f.bodyOff), Hdr: f.fr[:addrsLen], Body: body}
	}
	// Keep PCP/DEI from an incoming tag; a tag we add has PCP 0.
	newTCI := f.tci&0xf000 | f.vlan
	if f.tagged && newTCI == f.tci {
		return TxFrame{VNet: f.rf.VNet, Hdr: f.fr[:addrsLen+vlanTagLen], Body: body}
	}
	if !f.hdrBuilt {
		copy(f.hdr[:addrsLen], f.fr)
		binary.BigEndian.PutUint16(f.hdr[12:], etherTypeVLAN)
		binary.BigEndian.PutUint16(f.hdr[14:], newTCI)
		f.hdrBuilt = true
	}
	return TxFrame{VNet: f.rf.VNet.shift(addrsLen + vlanTagLen - f.bodyOff), Hdr: f.hdr[:], Body: body}
}

// flush sends the batch's frames to every egress port that gets some: one
// vector per egress port, frames in the order they arrived (so a flow whose
// first frames were flooded and the next ones unicast is not reordered).
func (w *worker) flush(st *fwdState, n int) {
	switch {
	case w.nflood > 0:
		for c := 0; c < maxChunks && c<<chunkBits < st.n; c++ {
			for m := st.up[c]; m != 0; m &= m - 1 {
				out := st.chunks[c][bits.TrailingZeros64(m)]
				if out.idx == w.p.idx {
					continue
				}
				if !w.floodMix && !out.carries(w.floodVLAN) && !slices.Contains(w.touched, out.idx) && !w.unionHas(out.idx) {
					continue
				}
				w.sendTo(out, n)
			}
		}
	case w.nset > 0:
		// Unicast egress ports no port set holds, then the port sets'
		// ports that are up: each port once.
		for _, idx := range w.touched {
			if !w.unionHas(idx) {
				w.sendTo(st.port(idx), n)
			}
		}
		for c := 0; c < w.unionLen && c<<chunkBits < st.n; c++ {
			for m := st.up[c] & w.union[c]; m != 0; m &= m - 1 {
				out := st.chunks[c][bits.TrailingZeros64(m)]
				if out.idx != w.p.idx {
					w.sendTo(out, n)
				}
			}
		}
	default:
		for _, idx := range w.touched {
			w.sendTo(st.port(idx), n)
		}
	}
	w.touched = w.touched[:0]
	w.nflood, w.floodMix = 0, false
	if w.nset > 0 {
		clear(w.union[:w.unionLen])
		w.nset, w.unionLen = 0, 0
	}
}

// sendTo gathers the batch's frames for one egress port and writes them.
func (w *worker) sendTo(out *portView, n int) {
	var t tally
	for i := range w.fo[:n] {
		f := &w.fo[i]
		if f.out != out.idx && (f.out != outFlood && (f.out != outSet || !f.set.has(out.idx)) || !out.carries(f.vlan)) {
			continue
		}
		tx := f.txFor(out.egressTagged(f.vlan))
		w.txs = append(w.txs, tx)
		t.add(f.fr, tx.Len())
		if len(w.txs) == cap(w.txs) {
			w.write(out, &t)
		}
	}
	w.write(out, &t)
}

// write transmits the gathered vector and counts it on the egress port.
func (w *worker) write(out *portView, t *tally) {
	q := w.txs
	if len(q) == 0 {
		return
	}
	sent, err := out.p.io.WriteBatch(q)
	if sent < len(q) {
		reason := DropTxError
		if errors.Is(err, ErrTxQueueFull) {
			reason = DropTxQueueFull
		}
		out.p.ctr.drops[reason].Add(uint64(len(q) - sent))
		// The tally counted every frame; take back what was not sent.
		for _, tx := range q[sent:] {
			t.packets--
			t.bytes -= uint64(tx.Len())
			switch d := tx.Hdr; {
			case d[0]&1 == 0:
				t.ucast--
			case (*MAC)(d[:6]).IsBroadcast():
				t.bcast--
			default:
				t.mcast--
			}
		}
	}
	out.p.ctr.addTx(t)
	w.txs = q[:0]
}
