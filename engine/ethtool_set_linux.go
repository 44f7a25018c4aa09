//go:build linux

package engine

import (
	"errors"
	"fmt"
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The legacy ethtool commands and constants (uapi/linux/ethtool.h). The
// kernel translates them to the link_ksettings driver calls, and they carry
// speeds up to 4 Tbit/s in speed/speed_hi.
const (
	ethtoolGSET     = 0x1
	ethtoolSSET     = 0x2
	ethtoolDuplexH  = 0x0
	ethtoolDuplexF  = 0x1
	ethtoolAutonegE = 0x1
	ethtoolAutonegD = 0x0
)

// ethtoolSetRequest is the ETHTOOL_SSET request that applies want to a link
// whose current settings (ETHTOOL_GSET) are cur: the same struct with
// autonegotiation on when nothing is forced, else autonegotiation off with
// the forced speed and duplex (what is not forced keeps its current value;
// an unknown duplex becomes full). Everything else the driver reported is
// sent back unchanged, as ethtool(8) does.
func ethtoolSetRequest(cur ethtoolCmd, want LinkSettings) (ethtoolCmd, error) {
	req := cur
	req.Cmd = ethtoolSSET
	if want.Auto() {
		req.Autoneg = ethtoolAutonegE
		return req, nil
	}
	req.Autoneg = ethtoolAutonegD
	speed := uint32(cur.SpeedHi)<<16 | uint32(cur.Speed)
	if want.Speed != 0 {
		speed = uint32(want.Speed)
	}
	if speed == 0 || speed == 0xffffffff {
		return ethtoolCmd{}, errors.New("the link's speed is unknown: force a speed too")
	}
	req.Speed, req.SpeedHi = uint16(speed), uint16(speed>>16)
	switch want.Duplex {
	case "full":
		req.Duplex = ethtoolDuplexF
	case "half":
		req.Duplex = ethtoolDuplexH
	default:
		if req.Duplex != ethtoolDuplexH && req.Duplex != ethtoolDuplexF {
			req.Duplex = ethtoolDuplexF
		}
	}
	return req, nil
}

// ethtool runs one SIOCETHTOOL request on netdev name.
func ethtool(name string, cmd *ethtoolCmd) error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	ifr := &ifreqData{Data: unsafe.Pointer(cmd)}
	copy(ifr.Name[:unix.IFNAMSIZ-1], name)
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.SIOCETHTOOL, uintptr(unsafe.Pointer(ifr)))
	runtime.KeepAlive(ifr)
	runtime.KeepAlive(cmd)
	if errno != 0 {
		return errno
	}
	return nil
}

// SetLinkSettings implements LinkSettingsHost with ETHTOOL_GSET/SSET.
func (h *linuxHost) SetLinkSettings(name string, s LinkSettings) error {
	return h.do(func() error {
		cur := ethtoolCmd{Cmd: ethtoolGSET}
		if err := ethtool(name, &cur); err != nil {
			return linkSettingsErr(name, err)
		}
		req, err := ethtoolSetRequest(cur, s)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := ethtool(name, &req); err != nil {
			return linkSettingsErr(name, err)
		}
		return nil
	})
}

func linkSettingsErr(name string, err error) error {
	if errors.Is(err, unix.EOPNOTSUPP) {
		return fmt.Errorf("%s: %w", name, ErrLinkSettingsUnsupported)
	}
	return fmt.Errorf("%s: ethtool: %w", name, err)
}
