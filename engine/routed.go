package engine

import (
	"fmt"
	"net/netip"
)

// Routed ports ("no switchport", PortConfig.Routed).
//
// A routed port stays a port of the engine, so its socket still reads the
// frames CDP needs and Send still transmits the agent's, but it switches
// nothing: its view is published with up false (out of the flood bitmap, no
// unicast egress, out of the kernel fast path, whose tc program then lets
// its frames go on to the host's stack untouched) and routed true (ingress
// punts CDP and takes nothing else: the kernel delivers every frame to the
// host's IP stack anyway, lisad's socket only gets a copy). Entering routed
// mode flushes its dynamic MACs; statics stay, inactive, because no
// forwarding decision ever picks a port that is not up. Its PortIO stops
// being promiscuous (RoutedPort) when it implements that.

// RoutedPort is implemented by a PortIO that can leave switching: SetRouted
// (true) turns promiscuous mode off and lets only what a routed port still
// needs (CDP) reach the engine; SetRouted(false) undoes it.
type RoutedPort interface {
	SetRouted(routed bool) error
}

// setRoutedLocked switches p's I/O in or out of routed mode. Caller holds mu.
func (e *Engine) setRoutedLocked(p *port, routed bool) error {
	rp, ok := p.io.(RoutedPort)
	if !ok {
		return nil
	}
	if err := rp.SetRouted(routed); err != nil {
		if routed {
			return fmt.Errorf("interface %s cannot leave switching: %w", p.name, err)
		}
		return fmt.Errorf("interface %s cannot switch again: %w", p.name, err)
	}
	return nil
}

// SetPortAddrs replaces the IP addresses of a routed port's netdev. A switch
// port may only have its addresses cleared (as it leaves routed mode).
func (e *Engine) SetPortAddrs(name string, addrs []netip.Prefix) error {
	e.mu.Lock()
	p, err := e.lookupPort(name)
	routed := err == nil && p.cfg.Routed
	e.mu.Unlock()
	if err != nil {
		return err
	}
	if !routed && len(addrs) > 0 {
		return fmt.Errorf("interface %s is a switch port: no switchport first", name)
	}
	return e.host.SetAddrs(name, addrs)
}
