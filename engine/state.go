package engine

// The forwarding snapshot. The control plane publishes a new fwdState behind
// an atomic pointer on every change; forwarding goroutines load it once per
// received batch and never lock. A change costs O(1), not O(ports): the port
// table is split into chunks of 64 views, and a change copies the small
// fixed-size top level plus the one chunk it touches (copy on write). VLAN
// database changes copy nothing per port, because a port's view holds its
// configuration only; "does egress port X carry VLAN v" is decided per frame
// from the view and the database (one bit test each).

const (
	chunkBits = 6
	chunkSize = 1 << chunkBits
	maxChunks = maxPorts / chunkSize
)

type portChunk [chunkSize]*portView

// fwdState is the immutable picture of the switch the forwarding goroutines
// read.
type fwdState struct {
	vdb    VLANSet
	n      int // every port index in use is < n
	chunks [maxChunks]*portChunk
	// up has bit i%64 of word i/64 set when port i can transmit (admin
	// and carrier up): flooding walks it instead of every port.
	up [maxChunks]uint64
}

// port returns the view of port index i, or nil.
func (st *fwdState) port(i int) *portView {
	if uint(i) >= uint(st.n) {
		return nil
	}
	c := st.chunks[i>>chunkBits]
	if c == nil {
		return nil
	}
	return c[i&(chunkSize-1)]
}

// withPort returns a copy of st where port index i has view v (nil: no port).
func (st *fwdState) withPort(i int, v *portView) *fwdState {
	ns := *st
	ci, bi := i>>chunkBits, i&(chunkSize-1)
	var c portChunk
	if old := st.chunks[ci]; old != nil {
		c = *old
	}
	c[bi] = v
	ns.chunks[ci] = &c
	if v != nil && v.up {
		ns.up[ci] |= 1 << bi
	} else {
		ns.up[ci] &^= 1 << bi
	}
	if i >= ns.n {
		ns.n = i + 1
	}
	return &ns
}

// portView is one port's forwarding configuration inside a fwdState.
type portView struct {
	p       *port
	idx     int
	up      bool // admin up and carrier up
	admin   bool // admin up
	trunk   bool
	punt    bool
	access  uint16
	native  uint16  // trunk untagged VLAN, 0 = none
	allowed VLANSet // trunk allowed list as configured
	ifindex int     // the netdev's index
	fast    bool    // the kernel fast path is attached to the port
	routed  bool    // no switchport: only CDP is punted, nothing switched (up is false)
}

// carries reports whether the port sends and receives frames of vlan, a VLAN
// already known to be in the database.
func (v *portView) carries(vlan uint16) bool {
	if v.trunk {
		return v.allowed.Has(vlan)
	}
	return v.access == vlan
}

// egressTagged reports whether a frame of vlan leaves the port tagged.
func (v *portView) egressTagged(vlan uint16) bool {
	return v.trunk && vlan != v.native
}
