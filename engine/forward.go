package engine

import (
	"encoding/binary"
	"errors"
	"os"
	"syscall"
	"time"
)

// worker is the run-to-completion forwarding loop of one ingress port: read
// a batch, decide every frame, append to per-egress batches, flush them. All
// its buffers are allocated once, so steady-state forwarding allocates
// nothing.
type worker struct {
	e    *Engine
	p    *port
	q    PortIO // the receive queue this worker reads
	rx   []RxFrame
	tagh [][vlanTagLen + addrsLen]byte // per rx frame: a rewritten tagged header

	out     [][]TxFrame // per egress port index
	outTx   []tally
	touched []int // egress indexes with pending frames
	rxT     tally
	drops   [NumDropReasons]uint64
}

func newWorker(e *Engine, p *port, q PortIO, batch int) *worker {
	w := &worker{e: e, p: p, q: q, rx: make([]RxFrame, batch), tagh: make([][16]byte, batch)}
	slab := make([]byte, batch*(RxHeadroom+MaxFrameLen))
	for i := range w.rx {
		w.rx[i].Buf = slab[i*(RxHeadroom+MaxFrameLen) : (i+1)*(RxHeadroom+MaxFrameLen)]
	}
	return w
}

// run reads until the port is closed.
func (w *worker) run() {
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
	var in *portView
	if w.p.idx < len(st.ports) && st.ports[w.p.idx] != nil && st.ports[w.p.idx].p == w.p {
		in = st.ports[w.p.idx] // nil once removed, even if the index is reused
	}
	if n := len(st.ports); len(w.out) < n { // a port was added: grow once
		w.out = append(w.out, make([][]TxFrame, n-len(w.out))...)
		w.outTx = append(w.outTx, make([]tally, n-len(w.outTx))...)
	}
	now := w.e.fdb.stamp(w.e.clock.Now())
	for i := range frames {
		w.handle(st, in, &frames[i], i, now)
	}
	w.flush(st)
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

	f := frameOut{rf: rf, fr: fr, bodyOff: bodyOff, tagged: tagged, tci: tci, vlan: vlan, hdr: &w.tagh[i]}
	if !dst.IsMulticast() {
		if oi, ok := w.e.fdb.lookup(fdbKey(*dst, vlan)); ok {
			if oi == w.p.idx {
				w.drops[DropSamePort]++
				return
			}
			var out *portView
			if oi < len(st.ports) {
				out = st.ports[oi]
			}
			if out == nil || !out.up || !out.carries.Has(vlan) {
				w.drops[DropEgressUnavailable]++
				return
			}
			w.emit(st, out, &f)
			return
		}
	}
	for _, out := range st.active {
		if out.idx != w.p.idx && out.carries.Has(vlan) {
			w.emit(st, out, &f)
		}
	}
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

func (w *worker) emit(st *fwdState, out *portView, f *frameOut) {
	q := w.out[out.idx]
	if len(q) == 0 {
		w.touched = append(w.touched, out.idx)
		if q == nil {
			q = make([]TxFrame, 0, len(w.rx)) // once per egress port
		}
	}
	tx := f.txFor(out.egressTagged(f.vlan))
	q = append(q, tx)
	w.outTx[out.idx].add(f.fr, tx.Len())
	w.out[out.idx] = q
	if len(q) == cap(q) {
		w.flushPort(st, out.idx)
	}
}

func (w *worker) flush(st *fwdState) {
	for _, idx := range w.touched {
		w.flushPort(st, idx)
	}
	w.touched = w.touched[:0]
}

func (w *worker) flushPort(st *fwdState, idx int) {
	q := w.out[idx]
	if len(q) == 0 {
		return
	}
	out := st.ports[idx]
	sent, err := out.p.io.WriteBatch(q)
	if sent < len(q) {
		reason := DropTxError
		if errors.Is(err, ErrTxQueueFull) {
			reason = DropTxQueueFull
		}
		out.p.ctr.drops[reason].Add(uint64(len(q) - sent))
		// The tally counted every frame; take back what was not sent.
		t := &w.outTx[idx]
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
	out.p.ctr.addTx(&w.outTx[idx])
	clear(q) // drop references to rx buffers
	w.out[idx] = q[:0]
}
