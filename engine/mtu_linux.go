package engine

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// SetMTU implements MTUHost with netlink.
func (h *linuxHost) SetMTU(name string, mtu int) error {
	l, err := h.linkByName(name)
	if err != nil {
		return err
	}
	if err := h.nl.LinkSetMTU(l, mtu); err != nil {
		if errors.Is(err, unix.EINVAL) {
			return fmt.Errorf("interface %s refuses MTU %d (outside its driver's range)", name, mtu)
		}
		return fmt.Errorf("interface %s: MTU %d: %w", name, mtu, err)
	}
	return nil
}
