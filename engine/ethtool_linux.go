//go:build linux

package engine

import (
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// ethtoolCmd is the legacy struct ethtool_cmd (ETHTOOL_GSET), enough to
// read speed and duplex.
type ethtoolCmd struct {
	Cmd           uint32
	Supported     uint32
	Advertising   uint32
	Speed         uint16
	Duplex        uint8
	Port          uint8
	PhyAddress    uint8
	Transceiver   uint8
	Autoneg       uint8
	MdioSupport   uint8
	Maxtxpkt      uint32
	Maxrxpkt      uint32
	SpeedHi       uint16
	EthTpMdix     uint8
	EthTpMdixCtrl uint8
	LpAdvertising uint32
	Reserved      [2]uint32
}

type ifreqData struct {
	Name [unix.IFNAMSIZ]byte
	Data unsafe.Pointer
	_    [16]byte
}

// speedDuplex asks the driver for link speed (Mbit/s) and duplex; zero
// values when it does not know.
func (h *linuxHost) speedDuplex(name string) (speed int, duplex string) {
	_ = h.do(func() error {
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return err
		}
		defer unix.Close(fd)
		cmd := &ethtoolCmd{Cmd: 0x1} // ETHTOOL_GSET
		ifr := &ifreqData{Data: unsafe.Pointer(cmd)}
		copy(ifr.Name[:unix.IFNAMSIZ-1], name)
		_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.SIOCETHTOOL, uintptr(unsafe.Pointer(ifr)))
		runtime.KeepAlive(ifr)
		runtime.KeepAlive(cmd)
		if errno != 0 {
			return errno
		}
		s := uint32(cmd.SpeedHi)<<16 | uint32(cmd.Speed)
		if s != 0 && s != 0xffffffff {
			speed = int(s)
		}
		switch cmd.Duplex {
		case 0:
			duplex = "half"
		case 1:
			duplex = "full"
		}
		return nil
	})
	return speed, duplex
}
