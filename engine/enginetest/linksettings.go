package enginetest

import (
	"fmt"

	"github.com/lisa-go/lisa/engine"
)

// SetLinkSettings implements engine.LinkSettingsHost: a fake link takes
// forced settings (Link reports them) unless FixLinkSettings made it refuse
// them, as a veth does. Back to auto, it reports unknown speed and duplex.
func (h *Host) SetLinkSettings(name string, s engine.LinkSettings) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	l, err := h.get(name)
	if err != nil {
		return err
	}
	if l.fixedLink {
		return fmt.Errorf("%s: %w", name, engine.ErrLinkSettingsUnsupported)
	}
	l.info.Speed, l.info.Duplex = s.Speed, s.Duplex
	return nil
}

// FixLinkSettings makes a link refuse speed and duplex changes (EOPNOTSUPP).
func (h *Host) FixLinkSettings(name string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if l, err := h.get(name); err == nil {
		l.fixedLink = true
	}
}
