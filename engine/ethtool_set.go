package engine

import (
	"errors"
	"fmt"
)

// LinkSettings are a port's forced speed and duplex; the zero value is
// autonegotiation. Anything forced turns autonegotiation off.
type LinkSettings struct {
	Speed  int    // Mbit/s; 0 = auto
	Duplex string // "full", "half"; "" = auto
}

// Auto reports whether nothing is forced.
func (s LinkSettings) Auto() bool { return s.Speed == 0 && s.Duplex == "" }

// LinkSettingsHost is a Host that can change a netdev's speed and duplex
// (ethtool). A netdev whose driver cannot gives an error wrapping
// ErrLinkSettingsUnsupported.
type LinkSettingsHost interface {
	SetLinkSettings(name string, s LinkSettings) error
}

// ErrLinkSettingsUnsupported says the netdev's driver cannot change speed or
// duplex (veth, tap: the kernel answers EOPNOTSUPP).
var ErrLinkSettingsUnsupported = errors.New("the interface's driver cannot change speed or duplex")

// SetLinkSettings forces a port's speed and duplex, or gives them back to
// autonegotiation (the zero LinkSettings).
func (e *Engine) SetLinkSettings(name string, s LinkSettings) error {
	switch s.Duplex {
	case "", "full", "half":
	default:
		return fmt.Errorf("invalid duplex %q", s.Duplex)
	}
	if s.Speed < 0 {
		return fmt.Errorf("invalid speed %d", s.Speed)
	}
	e.mu.Lock()
	_, err := e.lookupPort(name)
	e.mu.Unlock()
	if err != nil {
		return err
	}
	lh, ok := e.host.(LinkSettingsHost)
	if !ok {
		return fmt.Errorf("%s: %w", name, ErrLinkSettingsUnsupported)
	}
	return lh.SetLinkSettings(name, s)
}
