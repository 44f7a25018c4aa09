package engine

import (
	"fmt"
	"net/netip"
	"strconv"
)

// VLAN interfaces (SVIs). An SVI is a tap netdev "vlanN" on the host, joined
// to VLAN N as an untagged member, with the fixed MAC SVIMACFor(N) pinned in
// the MAC table. It does not create VLAN N: while N is not in the database
// the SVI is isolated.

// SVIName returns the netdev name of VLAN N's interface.
func SVIName(vlan uint16) string { return "vlan" + strconv.Itoa(int(vlan)) }

// AddSVI creates VLAN interface vlanN and returns its MAC.
func (e *Engine) AddSVI(vlan uint16) (MAC, error) {
	if !ValidVLAN(vlan) {
		return MAC{}, fmt.Errorf("VLAN %d out of range 1-4094", vlan)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	mac := SVIMACFor(vlan)
	if _, ok := e.svis[vlan]; ok {
		return mac, nil
	}
	name := SVIName(vlan)
	if _, ok := e.ports[name]; ok {
		return MAC{}, fmt.Errorf("interface %s is already a switch port", name)
	}
	io, link, err := e.host.CreateSVI(name, mac)
	if err != nil {
		return MAC{}, err
	}
	link.Kind = KindSVI
	pc := PortConfig{Mode: Access, AccessVLAN: vlan, NativeVLAN: 1}
	p, err := e.attach(name, io, link, pc, vlan)
	if err != nil {
		io.Close()
		e.host.DeleteSVI(name)
		return MAC{}, err
	}
	e.svis[vlan] = p
	e.installSVIMAC(vlan, p)
	return mac, nil
}

func (e *Engine) installSVIMAC(vlan uint16, p *port) {
	if err := e.fdb.addStatic(fdbKey(SVIMACFor(vlan), vlan), p.idx, e.fdb.stamp(e.clock.Now())); err != nil {
		e.log.Warn("SVI address not installed", "vlan", vlan, "err", err)
	}
}

// RemoveSVI deletes VLAN interface vlanN (the VLAN stays).
func (e *Engine) RemoveSVI(vlan uint16) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.removeSVILocked(vlan)
}

func (e *Engine) removeSVILocked(vlan uint16) error {
	p, ok := e.svis[vlan]
	if !ok {
		return fmt.Errorf("interface %s does not exist", SVIName(vlan))
	}
	delete(e.svis, vlan)
	e.removePortLocked(p)
	return e.host.DeleteSVI(p.name)
}

// SetSVIShutdown sets VLAN interface vlanN administratively down or up.
func (e *Engine) SetSVIShutdown(vlan uint16, shutdown bool) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, ok := e.svis[vlan]
	if !ok {
		return fmt.Errorf("interface %s does not exist", SVIName(vlan))
	}
	if err := e.host.SetLinkUp(p.name, !shutdown); err != nil {
		return err
	}
	p.cfg.Shutdown = shutdown
	p.link.AdminUp = !shutdown
	e.publishPort(p.idx, p)
	return nil
}

// SetSVIAddrs replaces the IP addresses of VLAN interface vlanN.
func (e *Engine) SetSVIAddrs(vlan uint16, addrs []netip.Prefix) error {
	e.mu.Lock()
	p, ok := e.svis[vlan]
	e.mu.Unlock()
	if !ok {
		return fmt.Errorf("interface %s does not exist", SVIName(vlan))
	}
	return e.host.SetAddrs(p.name, addrs)
}

// SVIs returns the VLANs that have an interface.
func (e *Engine) SVIs() []uint16 {
	e.mu.Lock()
	defer e.mu.Unlock()
	var s VLANSet
	for v := range e.svis {
		s.Add(v)
	}
	return s.IDs()
}
