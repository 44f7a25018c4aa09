package localsock

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Frame types.
const (
	FrameHello  byte = 'H' // client: JSON Hello
	FrameInput  byte = 'I' // client: keystrokes (interactive)
	FrameSize   byte = 'W' // client: window size, two big-endian uint16 (width, height)
	FrameLine   byte = 'L' // client: one script line (batch)
	FrameEOF    byte = 'Z' // client: no more script lines
	FrameOutput byte = 'O' // daemon: standard output
	FrameError  byte = 'E' // daemon: standard error
	FrameExit   byte = 'X' // daemon: exit status, big-endian uint32; last frame
)

// MaxPayload bounds a frame; a configuration replayed with "load" must fit.
const MaxPayload = 16 << 20

// Hello is the first frame of a connection.
type Hello struct {
	Mode     string   `json:"mode"`               // "interactive", "batch" or "load"
	Program  string   `json:"program,omitempty"`  // the client tool, for logs
	Commands []string `json:"commands,omitempty"` // batch: run first
	Stdin    bool     `json:"stdin,omitempty"`    // batch: Line frames follow
	Term     string   `json:"term,omitempty"`     // interactive: $TERM
	Width    int      `json:"width,omitempty"`
	Height   int      `json:"height,omitempty"`
	Name     string   `json:"name,omitempty"`    // load: file name for messages
	Text     string   `json:"text,omitempty"`    // load: configuration text
	Startup  bool     `json:"startup,omitempty"` // load: the daemon's own startup-config instead of Text
}

// ErrTooLarge is returned for a frame longer than the reader accepts.
var ErrTooLarge = errors.New("localsock: frame too large")

// WriteFrame writes one frame.
func WriteFrame(w io.Writer, typ byte, payload []byte) error {
	if len(payload) > MaxPayload {
		return ErrTooLarge
	}
	buf := make([]byte, 5+len(payload))
	buf[0] = typ
	binary.BigEndian.PutUint32(buf[1:5], uint32(len(payload)))
	copy(buf[5:], payload)
	_, err := w.Write(buf)
	return err
}

// ReadFrame reads one frame whose payload is at most max bytes.
func ReadFrame(r io.Reader, max int) (byte, []byte, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(hdr[1:])
	if int64(n) > int64(max) {
		return 0, nil, fmt.Errorf("%w: %d bytes", ErrTooLarge, n)
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(r, p); err != nil {
		return 0, nil, err
	}
	return hdr[0], p, nil
}

// SizePayload encodes a window size.
func SizePayload(w, h int) []byte {
	var b [4]byte
	binary.BigEndian.PutUint16(b[0:], uint16(clamp(w)))
	binary.BigEndian.PutUint16(b[2:], uint16(clamp(h)))
	return b[:]
}

// ParseSize decodes a window size.
func ParseSize(p []byte) (w, h int, ok bool) {
	if len(p) != 4 {
		return 0, 0, false
	}
	return int(binary.BigEndian.Uint16(p)), int(binary.BigEndian.Uint16(p[2:])), true
}

func clamp(v int) int {
	if v < 0 {
		return 0
	}
	if v > 0xffff {
		return 0xffff
	}
	return v
}

// ExitPayload encodes an exit status.
func ExitPayload(code int) []byte {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], uint32(code))
	return b[:]
}
