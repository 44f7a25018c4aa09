// Package icmpping sends ICMP echo requests and classifies what comes back,
// for the switch's ping command: one request at a time, each answered by a
// reply, an ICMP error about it, or nothing before its timeout. Messages are
// parsed by golang.org/x/net/icmp; this package only matches them to the
// request and counts.
package icmpping

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"golang.org/x/sys/unix"
)

// The outcome of one echo request, as IOS prints it.
const (
	Reply       = '!' // echo reply
	Timeout     = '.' // nothing in time
	Unreachable = 'U' // destination unreachable
	Fragment    = 'M' // could not fragment (unreachable, fragmentation needed)
	TTLExceeded = '&' // time exceeded in transit
	Quench      = 'Q' // source quench
	Unknown     = '?' // an ICMP error of another type about our request
)

// Result is one request's outcome.
type Result struct {
	Code rune
	RTT  time.Duration // for a Reply
}

// icmpSourceQuench is type 4, deprecated (RFC 6633) and so unnamed in x/net.
const icmpSourceQuench = ipv4.ICMPType(4)

// ipv4ICMP is the IANA protocol number of ICMP, for icmp.ParseMessage.
const ipv4ICMP = 1

// Classify matches an ICMP message read from a raw socket to the request
// (id, seq): a reply to it, an error whose quoted datagram is it, or
// neither (ok false: someone else's message). It never panics.
func Classify(b []byte, id, seq int) (code rune, ok bool) {
	m, err := icmp.ParseMessage(ipv4ICMP, b)
	if err != nil {
		return 0, false
	}
	switch m.Type {
	case ipv4.ICMPTypeEchoReply:
		e, isEcho := m.Body.(*icmp.Echo)
		if isEcho && e.ID == id && e.Seq == seq {
			return Reply, true
		}
		return 0, false
	case ipv4.ICMPTypeDestinationUnreachable:
		if d, isDU := m.Body.(*icmp.DstUnreach); isDU && quotesRequest(d.Data, id, seq) {
			if m.Code == 4 { // fragmentation needed and DF set
				return Fragment, true
			}
			return Unreachable, true
		}
	case ipv4.ICMPTypeTimeExceeded:
		if t, isTE := m.Body.(*icmp.TimeExceeded); isTE && quotesRequest(t.Data, id, seq) {
			return TTLExceeded, true
		}
	case ipv4.ICMPTypeParameterProblem:
		if p, isPP := m.Body.(*icmp.ParamProb); isPP && quotesRequest(p.Data, id, seq) {
			return Unknown, true
		}
	case icmpSourceQuench:
		if r, isRaw := m.Body.(*icmp.RawBody); isRaw && len(r.Data) > 4 && quotesRequest(r.Data[4:], id, seq) {
			return Quench, true
		}
	}
	return 0, false
}

// quotesRequest reports whether an ICMP error's quoted datagram (IP header
// and the first 8 bytes of its payload) is our echo request.
func quotesRequest(d []byte, id, seq int) bool {
	if len(d) < ipv4.HeaderLen {
		return false
	}
	ihl := int(d[0]&0x0f) * 4
	if d[0]>>4 != 4 || ihl < ipv4.HeaderLen || len(d) < ihl+8 || d[9] != ipv4ICMP {
		return false
	}
	q := d[ihl:]
	return q[0] == byte(ipv4.ICMPTypeEcho) && int(binary.BigEndian.Uint16(q[4:])) == id && int(binary.BigEndian.Uint16(q[6:])) == seq
}

// Socket is a raw ICMP socket (root or CAP_NET_RAW), bound to a source
// address or to none.
type Socket struct {
	c  *icmp.PacketConn
	id int
}

// Open opens the socket; an invalid src lets the kernel pick the source.
// id tells this run's requests from others' (the raw socket sees every
// ICMP message of the host).
func Open(src netip.Addr, id int) (*Socket, error) {
	addr := "0.0.0.0"
	if src.IsValid() {
		addr = src.String()
	}
	c, err := icmp.ListenPacket("ip4:icmp", addr)
	if err != nil {
		return nil, fmt.Errorf("ICMP socket: %w", err)
	}
	return &Socket{c: c, id: id & 0xffff}, nil
}

// Close closes the socket.
func (s *Socket) Close() error { return s.c.Close() }

// Echo sends one request of size bytes (IP header included, as IOS counts)
// and waits up to timeout for its outcome.
func (s *Socket) Echo(ctx context.Context, dst netip.Addr, seq, size int, timeout time.Duration) (Result, error) {
	payload := make([]byte, max(size-ipv4.HeaderLen-8, 0))
	for i := range payload {
		payload[i] = byte(0xab + i) // IOS's default pattern starts at 0xABCD
	}
	msg := icmp.Message{Type: ipv4.ICMPTypeEcho, Body: &icmp.Echo{ID: s.id, Seq: seq & 0xffff, Data: payload}}
	b, err := msg.Marshal(nil)
	if err != nil {
		return Result{}, err
	}
	start := time.Now()
	deadline := start.Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if _, err := s.c.WriteTo(b, &net.IPAddr{IP: dst.AsSlice()}); err != nil {
		if errors.Is(err, unix.EHOSTUNREACH) || errors.Is(err, unix.ENETUNREACH) || errors.Is(err, unix.EHOSTDOWN) {
			// No route: the kernel answers at once, as a router would.
			return Result{Code: Unreachable}, nil
		}
		return Result{}, err
	}
	buf := make([]byte, 1500)
	for {
		if err := s.c.SetReadDeadline(deadline); err != nil {
			return Result{}, err
		}
		n, _, err := s.c.ReadFrom(buf)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return Result{Code: Timeout}, nil
			}
			return Result{}, err
		}
		if code, ok := Classify(buf[:n], s.id, seq&0xffff); ok {
			return Result{Code: code, RTT: time.Since(start)}, nil
		}
		if ctx.Err() != nil {
			return Result{Code: Timeout}, nil
		}
	}
}

// Stats counts a run for IOS's closing line.
type Stats struct {
	Sent, OK      int
	Min, Max, Sum time.Duration
}

// Add counts one result.
func (st *Stats) Add(r Result) {
	st.Sent++
	if r.Code != Reply {
		return
	}
	st.OK++
	if st.OK == 1 || r.RTT < st.Min {
		st.Min = r.RTT
	}
	if r.RTT > st.Max {
		st.Max = r.RTT
	}
	st.Sum += r.RTT
}

// SuccessLine is IOS's "Success rate is 100 percent (5/5), round-trip
// min/avg/max = 1/1/2 ms".
func (st Stats) SuccessLine() string {
	pct := 0
	if st.Sent > 0 {
		pct = st.OK * 100 / st.Sent
	}
	line := fmt.Sprintf("Success rate is %d percent (%d/%d)", pct, st.OK, st.Sent)
	if st.OK > 0 {
		ms := func(d time.Duration) int64 { return d.Milliseconds() }
		line += fmt.Sprintf(", round-trip min/avg/max = %d/%d/%d ms", ms(st.Min), ms(st.Sum/time.Duration(st.OK)), ms(st.Max))
	}
	return line
}
