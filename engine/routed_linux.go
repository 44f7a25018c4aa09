//go:build linux

package engine

import (
	"fmt"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// cdpOnly is a routed port's socket filter: inbound frames to CDP's
// multicast address 01:00:0c:cc:cc:cc, whole. The host's IP stack gets
// every frame anyway; lisad no longer needs a copy of the rest.
var cdpOnly = mustAssemble([]bpf.Instruction{
	bpf.LoadExtension{Num: bpf.ExtType},
	bpf.JumpIf{Cond: bpf.JumpEqual, Val: unix.PACKET_OUTGOING, SkipTrue: 5},
	bpf.LoadAbsolute{Off: 0, Size: 4},
	bpf.JumpIf{Cond: bpf.JumpNotEqual, Val: 0x01000ccc, SkipTrue: 3},
	bpf.LoadAbsolute{Off: 4, Size: 2},
	bpf.JumpIf{Cond: bpf.JumpNotEqual, Val: 0xcccc, SkipTrue: 1},
	bpf.RetConstant{Val: 0x40000},
	bpf.RetConstant{Val: 0},
})

// SetRouted implements RoutedPort: a routed port's sockets leave
// promiscuous mode and take only CDP frames; back to switching they are
// promiscuous again with the filter they had (the fast path's, or the
// inbound-only one).
func (p *packetPort) SetRouted(routed bool) error {
	for _, qi := range p.RxQueues() {
		q := qi.(*packetPort)
		if err := q.c.SetPromiscuous(!routed); err != nil {
			return fmt.Errorf("promiscuous: %w", err)
		}
		var err error
		switch {
		case routed:
			err = q.c.SetBPF(cdpOnly)
		case p.fastFilter > 0:
			err = q.control(func(fd int) error {
				return unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ATTACH_BPF, p.fastFilter)
			})
		default:
			err = q.c.SetBPF(inboundOnly)
		}
		if err != nil {
			return fmt.Errorf("socket filter: %w", err)
		}
	}
	return nil
}
