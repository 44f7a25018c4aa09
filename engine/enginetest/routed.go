package enginetest

// SetRouted implements engine.RoutedPort: a routed port's link is no longer
// promiscuous (Promiscuous reports it).
func (f *fakeIO) SetRouted(routed bool) error {
	f.l.routed.Store(routed)
	return nil
}

// Promiscuous reports whether the engine holds a link open in promiscuous
// mode, as it does a switch port (a routed port is not).
func (h *Host) Promiscuous(name string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	l, err := h.get(name)
	return err == nil && l.open != nil && !l.open.isClosed() && !l.svi && !l.routed.Load()
}
