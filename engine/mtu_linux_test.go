//go:build linux

package engine

import (
	"strings"
	"testing"

	"github.com/lisa-go/lisa/internal/nstest"
)

// On real netdevs: a veth and a tap take a jumbo MTU (read back by ip), a
// veth refuses one beyond its driver's maximum, and a missing netdev says so.
func TestSetMTUNetdevs(t *testing.T) {
	nstest.RequireRoot(t)
	ns := nstest.New(t, "mtu")
	ns.MustRun(t, "ip", "link", "add", "mtva", "type", "veth", "peer", "name", "mtvb")
	ns.MustRun(t, "ip", "tuntap", "add", "dev", "mttap", "mode", "tap")
	var h *linuxHost
	err := ns.Do(func() error {
		hh, err := NewLinuxHost(LinuxHostConfig{})
		h, _ = hh.(*linuxHost)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, dev := range []string{"mtva", "mttap"} {
		if err := h.SetMTU(dev, 9000); err != nil {
			t.Fatalf("%s: %v", dev, err)
		}
		if out := ns.MustRun(t, "ip", "link", "show", dev); !strings.Contains(out, "mtu 9000 ") {
			t.Errorf("%s after SetMTU 9000: %s", dev, out)
		}
	}
	err = h.SetMTU("mtva", 70000)
	if err == nil || !strings.Contains(err.Error(), "refuses MTU 70000") {
		t.Errorf("MTU beyond the veth's maximum: %v", err)
	}
	if err := h.SetMTU("mtnone", 1500); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing netdev: %v", err)
	}
}
