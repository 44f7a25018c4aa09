package cdp

import (
	"encoding/binary"
	"fmt"
	"os"
	"testing"
)

// Classic pcap files, Ethernet link type: enough to read the captures in testdata and to
// hand frames to tshark.

const (
	pcapMagic        = 0xa1b2c3d4
	pcapLinkEthernet = 1
)

func readPcap(t testing.TB, path string) [][]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	frames, err := parsePcap(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return frames
}

func parsePcap(data []byte) ([][]byte, error) {
	if len(data) < 24 {
		return nil, fmt.Errorf("short pcap header")
	}
	var order binary.ByteOrder = binary.LittleEndian
	switch {
	case binary.LittleEndian.Uint32(data) == pcapMagic:
	case binary.BigEndian.Uint32(data) == pcapMagic:
		order = binary.BigEndian
	default:
		return nil, fmt.Errorf("not a classic microsecond pcap")
	}
	if lt := order.Uint32(data[20:]); lt != pcapLinkEthernet {
		return nil, fmt.Errorf("link type %d, want Ethernet", lt)
	}
	var frames [][]byte
	for rest := data[24:]; len(rest) > 0; {
		if len(rest) < 16 {
			return nil, fmt.Errorf("short record header")
		}
		n := int(order.Uint32(rest[8:]))
		if len(rest) < 16+n {
			return nil, fmt.Errorf("short record")
		}
		frames = append(frames, rest[16:16+n])
		rest = rest[16+n:]
	}
	return frames, nil
}

func writePcap(t *testing.T, path string, frames [][]byte) {
	t.Helper()
	b := binary.LittleEndian.AppendUint32(nil, pcapMagic)
	b = binary.LittleEndian.AppendUint16(b, 2)
	b = binary.LittleEndian.AppendUint16(b, 4)
	b = binary.LittleEndian.AppendUint32(b, 0)     // thiszone
	b = binary.LittleEndian.AppendUint32(b, 0)     // sigfigs
	b = binary.LittleEndian.AppendUint32(b, 65535) // snaplen
	b = binary.LittleEndian.AppendUint32(b, pcapLinkEthernet)
	for i, f := range frames {
		b = binary.LittleEndian.AppendUint32(b, uint32(1700000000+i))
		b = binary.LittleEndian.AppendUint32(b, 0)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(f)))
		b = binary.LittleEndian.AppendUint32(b, uint32(len(f)))
		b = append(b, f...)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
