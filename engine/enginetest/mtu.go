package enginetest

import "fmt"

// SetMTU implements engine.MTUHost: Link reports the new MTU; a link whose
// LimitMTU was set refuses more, as a driver does (EINVAL).
func (h *Host) SetMTU(name string, mtu int) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	l, err := h.get(name)
	if err != nil {
		return err
	}
	if l.maxMTU != 0 && mtu > l.maxMTU {
		return fmt.Errorf("interface %s refuses MTU %d (outside its driver's range)", name, mtu)
	}
	l.info.MTU = mtu
	return nil
}

// LimitMTU makes a link refuse MTUs above max.
func (h *Host) LimitMTU(name string, max int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if l, err := h.get(name); err == nil {
		l.maxMTU = max
	}
}
