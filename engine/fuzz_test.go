package engine

import (
	"testing"
)

// FuzzForward feeds arbitrary frames and offload headers to the forwarding
// path of an access port and a trunk: nothing may panic, and every frame is
// either counted as received or as malformed.
func FuzzForward(f *testing.F) {
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x00}, uint16(0), uint8(0), false)
	f.Add([]byte{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x81, 0x00, 0x00, 0x0a, 0x08, 0x00}, uint16(34), uint8(1), true)
	f.Add([]byte{0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc, 2, 0, 0, 0, 0, 1, 0, 12, 0xaa, 0xaa, 3, 0, 0, 0x0c, 0x20, 0x00}, uint16(0), uint8(0), false)
	f.Add([]byte{1, 2, 3}, uint16(0xffff), uint8(0xff), true)
	f.Fuzz(func(t *testing.T, frame []byte, csum uint16, flags uint8, trunk bool) {
		e, err := New(Config{Host: nullHost{}, AgeInterval: -1, PuntQueue: 1})
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		e.SetPuntHandler(func(string, []byte) {})
		e.SetVLANs(NewVLANSet(1, 10))
		for _, n := range []string{"a", "t", "s"} {
			if err := e.AddPort(n); err != nil {
				t.Fatal(err)
			}
		}
		pc := DefaultPortConfig()
		pc.Mode = Trunk
		e.SetPort("t", pc)
		in := "a"
		if trunk {
			in = "t"
		}
		e.mu.Lock()
		p := e.ports[in]
		e.mu.Unlock()
		w := newWorker(e, p, p.io, 2)
		if len(frame) > MaxFrameLen {
			frame = frame[:MaxFrameLen]
		}
		for i := range w.rx {
			w.rx[i].Off = RxHeadroom
			w.rx[i].Len = copy(w.rx[i].Buf[RxHeadroom:], frame)
			w.rx[i].VNet = VNetHdr{Flags: flags, CsumStart: csum, HdrLen: csum}
		}
		w.process(w.rx)
		c := p.ctr.snapshot()
		if c.RxPackets+c.Drops[DropMalformed] != 2 {
			t.Fatalf("frames unaccounted: %+v", c)
		}
	})
}
