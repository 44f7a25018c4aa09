package engine

// fwdState is the immutable picture of the switch the forwarding goroutines
// read: published with an atomic pointer by the control plane on every change,
// loaded once per received batch, never locked.
type fwdState struct {
	vdb    VLANSet
	ports  []*portView // by port index; nil where no port
	active []*portView // ports that can transmit (admin and carrier up)
}

// portView is one port's forwarding configuration inside a fwdState.
type portView struct {
	p       *port
	idx     int
	up      bool // admin up and carrier up
	admin   bool // admin up
	trunk   bool
	access  uint16
	native  uint16  // trunk untagged VLAN, 0 = none
	allowed VLANSet // trunk allowed list as configured
	carries VLANSet // VLANs the port sends and receives: config ∩ database
	punt    bool
}

// carries computes the VLANs a port forwards with the given database.
func carriedVLANs(pc *PortConfig, vdb *VLANSet) VLANSet {
	var s VLANSet
	if pc.Mode == Trunk {
		s = pc.Allowed.Intersect(*vdb)
	} else if vdb.Has(pc.AccessVLAN) {
		s.Add(pc.AccessVLAN)
	}
	return s
}

// egressTagged reports whether a frame of vlan leaves the port tagged.
func (v *portView) egressTagged(vlan uint16) bool {
	return v.trunk && vlan != v.native
}
