package engine

import (
	"errors"
	"fmt"
)

// MTUHost is a Host that can change a netdev's MTU.
type MTUHost interface {
	SetMTU(name string, mtu int) error
}

// ErrMTUUnsupported says the host cannot change MTUs at all.
var ErrMTUUnsupported = errors.New("this host cannot change MTUs")

// SetMTU sets the MTU of a port's or a VLAN interface's netdev. lisad's
// own path takes frames of any size up to MaxFrameLen, so the MTU is the
// netdev's business: it bounds what the kernel sends and receives there.
func (e *Engine) SetMTU(name string, mtu int) error {
	if mtu < 68 || mtu > MaxFrameLen {
		return fmt.Errorf("invalid MTU %d", mtu)
	}
	e.mu.Lock()
	_, ok := e.ports[name]
	e.mu.Unlock()
	if !ok {
		return fmt.Errorf("interface %s not in switch", name)
	}
	mh, ok := e.host.(MTUHost)
	if !ok {
		return fmt.Errorf("%s: %w", name, ErrMTUUnsupported)
	}
	return mh.SetMTU(name, mtu)
}
