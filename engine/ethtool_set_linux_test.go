//go:build linux

package engine

import (
	"encoding/binary"
	"errors"
	"testing"
	"unsafe"

	"github.com/lisa-go/lisa/internal/nstest"
)

// The ETHTOOL_SSET request, built without a kernel: what is forced, what is
// kept, and where it lands in struct ethtool_cmd.
func TestEthtoolSetRequest(t *testing.T) {
	cur := ethtoolCmd{Cmd: ethtoolGSET, Supported: 0x2ef, Advertising: 0x2ef, Speed: 1000, Duplex: ethtoolDuplexF,
		Port: 0, PhyAddress: 1, Autoneg: ethtoolAutonegE, LpAdvertising: 0xc0}
	cases := []struct {
		name    string
		want    LinkSettings
		speed   uint32
		duplex  uint8
		autoneg uint8
	}{
		{"auto", LinkSettings{}, 1000, ethtoolDuplexF, ethtoolAutonegE},
		{"speed 100", LinkSettings{Speed: 100}, 100, ethtoolDuplexF, ethtoolAutonegD},
		{"duplex half", LinkSettings{Duplex: "half"}, 1000, ethtoolDuplexH, ethtoolAutonegD},
		{"speed 10 duplex half", LinkSettings{Speed: 10, Duplex: "half"}, 10, ethtoolDuplexH, ethtoolAutonegD},
		{"speed 100000 (speed_hi)", LinkSettings{Speed: 100000, Duplex: "full"}, 100000, ethtoolDuplexF, ethtoolAutonegD},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, err := ethtoolSetRequest(cur, tc.want)
			if err != nil {
				t.Fatal(err)
			}
			if req.Cmd != ethtoolSSET || uint32(req.SpeedHi)<<16|uint32(req.Speed) != tc.speed || req.Duplex != tc.duplex || req.Autoneg != tc.autoneg {
				t.Fatalf("request %+v", req)
			}
			if req.Advertising != cur.Advertising || req.Supported != cur.Supported || req.PhyAddress != cur.PhyAddress {
				t.Fatalf("driver fields not sent back: %+v", req)
			}
			// struct ethtool_cmd's layout: the kernel reads these offsets.
			b := unsafe.Slice((*byte)(unsafe.Pointer(&req)), unsafe.Sizeof(req))
			if len(b) != 44 {
				t.Fatalf("struct ethtool_cmd is %d bytes, want 44", len(b))
			}
			le := binary.NativeEndian
			if le.Uint32(b[0:]) != ethtoolSSET || uint32(le.Uint16(b[28:]))<<16|uint32(le.Uint16(b[12:])) != tc.speed ||
				b[14] != tc.duplex || b[18] != tc.autoneg {
				t.Fatalf("request bytes % x", b)
			}
		})
	}
	// Forcing only the duplex of a link whose speed nobody knows cannot work.
	if _, err := ethtoolSetRequest(ethtoolCmd{Speed: 0xffff, SpeedHi: 0xffff, Duplex: 0xff}, LinkSettings{Duplex: "full"}); err == nil {
		t.Fatal("duplex forced at an unknown speed")
	}
	req, _ := ethtoolSetRequest(ethtoolCmd{Speed: 100, Duplex: 0xff}, LinkSettings{Speed: 100})
	if req.Duplex != ethtoolDuplexF {
		t.Fatalf("unknown duplex forced to %d, want full", req.Duplex)
	}
}

// On real netdevs: a veth cannot change speed or duplex (EOPNOTSUPP, the
// settings it reports stay), a tap stores what it is given.
func TestSetLinkSettingsNetdevs(t *testing.T) {
	nstest.RequireRoot(t)
	ns := nstest.New(t, "hrls")
	ns.MustRun(t, "ip", "link", "add", "hrva", "type", "veth", "peer", "name", "hrvb")
	ns.MustRun(t, "ip", "tuntap", "add", "dev", "hrtap", "mode", "tap")
	var h *linuxHost
	err := ns.Do(func() error {
		hh, err := NewLinuxHost(LinuxHostConfig{})
		h, _ = hh.(*linuxHost)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	speed, duplex := h.speedDuplex("hrva")
	err = h.SetLinkSettings("hrva", LinkSettings{Speed: 100, Duplex: "half"})
	if !errors.Is(err, ErrLinkSettingsUnsupported) {
		t.Fatalf("veth: %v, want %v", err, ErrLinkSettingsUnsupported)
	}
	if s, d := h.speedDuplex("hrva"); s != speed || d != duplex {
		t.Fatalf("veth settings changed: %d %s -> %d %s", speed, duplex, s, d)
	}
	if err := h.SetLinkSettings("hrnone", LinkSettings{}); err == nil {
		t.Fatal("a missing netdev took settings")
	}
	switch err := h.SetLinkSettings("hrtap", LinkSettings{Speed: 100, Duplex: "half"}); {
	case errors.Is(err, ErrLinkSettingsUnsupported):
		t.Logf("this kernel's tun driver cannot store link settings either: %v", err)
	case err != nil:
		t.Fatal(err)
	default:
		if s, d := h.speedDuplex("hrtap"); s != 100 || d != "half" {
			t.Fatalf("tap after speed 100 duplex half: %d %s", s, d)
		}
		if err := h.SetLinkSettings("hrtap", LinkSettings{Speed: 10}); err != nil {
			t.Fatal(err)
		}
		if s, d := h.speedDuplex("hrtap"); s != 10 || d != "half" {
			t.Fatalf("tap after speed 10: %d %s", s, d)
		}
		t.Log("a tap stores forced settings (speed 100 half, then speed 10)")
	}
}
