// Package syslogout sends the switch's log lines to remote syslog servers
// as IOS does (logging host): "<PRI>N: TIMESTAMP: %FAC-SEV-MNEMONIC: text",
// one UDP datagram per line, or over TCP one line each, LF-terminated (the
// non-transparent framing of RFC 6587 that rsyslog and syslog-ng read).
// Every server has a queue of its own, so a slow or absent one never holds
// up the switch: a line that finds the queue full is dropped and counted.
package syslogout

import (
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"
)

// Target is one logging host.
type Target struct {
	Addr netip.AddrPort
	TCP  bool
	// Source is the address the messages leave from (logging
	// source-interface); invalid: the kernel chooses.
	Source netip.Addr
}

func (t Target) String() string {
	proto := "udp"
	if t.TCP {
		proto = "tcp"
	}
	return fmt.Sprintf("%s/%s:%d", t.Addr.Addr(), proto, t.Addr.Port())
}

// Stats is what show logging reports of a target.
type Stats struct {
	Target
	Sent, Dropped uint64
	Up            bool // the last send worked
}

// QueueLen is how many lines wait per target.
const QueueLen = 1024

// Sender owns the targets' queues and connections.
type Sender struct {
	log *slog.Logger
	mu  sync.Mutex
	out map[Target]*target
}

type target struct {
	t     Target
	queue chan []byte
	done  chan struct{}
	mu    sync.Mutex
	st    Stats
}

// New returns a Sender with no targets.
func New(log *slog.Logger) *Sender {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Sender{log: log, out: map[Target]*target{}}
}

// SetTargets makes ts the logging hosts: new ones start, gone ones stop
// (what their queues held is dropped), kept ones keep their queue and
// counters.
func (s *Sender) SetTargets(ts []Target) {
	s.mu.Lock()
	defer s.mu.Unlock()
	want := map[Target]bool{}
	for _, t := range ts {
		want[t] = true
		if s.out[t] == nil {
			tg := &target{t: t, queue: make(chan []byte, QueueLen), done: make(chan struct{}), st: Stats{Target: t}}
			s.out[t] = tg
			go tg.run(s.log)
		}
	}
	for t, tg := range s.out {
		if !want[t] {
			close(tg.done)
			delete(s.out, t)
		}
	}
}

// Send queues one message for every target; it never blocks.
func (s *Sender) Send(msg []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, tg := range s.out {
		select {
		case tg.queue <- msg:
		default:
			tg.mu.Lock()
			tg.st.Dropped++
			tg.mu.Unlock()
		}
	}
}

// Stats reports every target.
func (s *Sender) Stats() []Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Stats
	for _, tg := range s.out {
		tg.mu.Lock()
		out = append(out, tg.st)
		tg.mu.Unlock()
	}
	return out
}

// Close stops every target.
func (s *Sender) Close() { s.SetTargets(nil) }

// Format is IOS's syslog message: priority, message count, the line
// (timestamp included) as show logging shows it.
func Format(facility, severity int, count uint64, line string) []byte {
	return fmt.Appendf(nil, "<%d>%d: %s", facility*8+severity, count, line)
}

// retryAfter is how long a target that failed waits before it connects
// again (TCP), so an absent server costs one attempt per period.
const retryAfter = 2 * time.Second

func (tg *target) run(log *slog.Logger) {
	var conn net.Conn
	var failedAt time.Time
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for {
		var msg []byte
		select {
		case <-tg.done:
			return
		case msg = <-tg.queue:
		}
		if conn == nil && time.Since(failedAt) >= retryAfter {
			c, err := tg.dial()
			if err != nil {
				failedAt = time.Now()
				log.Warn("logging host unreachable", "host", tg.t.String(), "err", err)
			} else {
				conn = c
			}
		}
		ok := false
		if conn != nil {
			if tg.t.TCP {
				msg = append(msg, '\n')
			}
			conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if _, err := conn.Write(msg); err != nil {
				log.Warn("logging host write failed", "host", tg.t.String(), "err", err)
				conn.Close()
				conn, failedAt = nil, time.Now()
			} else {
				ok = true
			}
		}
		tg.mu.Lock()
		if ok {
			tg.st.Sent++
		} else {
			tg.st.Dropped++
		}
		tg.st.Up = ok
		tg.mu.Unlock()
	}
}

func (tg *target) dial() (net.Conn, error) {
	network := "udp"
	if tg.t.TCP {
		network = "tcp"
	}
	d := net.Dialer{Timeout: 5 * time.Second}
	if tg.t.Source.IsValid() {
		if tg.t.TCP {
			d.LocalAddr = &net.TCPAddr{IP: tg.t.Source.AsSlice()}
		} else {
			d.LocalAddr = &net.UDPAddr{IP: tg.t.Source.AsSlice()}
		}
	}
	return d.Dial(network, tg.t.Addr.String())
}
