package switchd

import (
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lisa-go/lisa/cli"
)

// line is a terminal line a session runs on: the console (local shells) or a
// vty (telnet, SSH), as show users lists them.
type line struct {
	kind     string // "con" or "vty"
	idx      int
	door     string // "console", "telnet", "ssh"
	user     string
	location string // "local" or the client's address
	since    time.Time
	sess     *cli.Session
	// lastInput tells when the user last typed; nil for batch sessions.
	lastInput func() time.Time
	// hangup ends the session from outside (clear line, exec-timeout).
	hangup func()
	// monitor: show log messages on this line (terminal monitor).
	monitor atomic.Bool
	// configured: a configuration command ran since entering config mode.
	configured bool
}

// number is the absolute line number IOS shows: 0 for the console, 1+ for vtys.
func (l *line) number() int {
	if l.kind == "vty" {
		return l.idx + 1
	}
	return 0
}

func (l *line) name() string { return fmt.Sprintf("%s %d", l.kind, l.idx) }

func (l *line) describe() string {
	if l.location != "" && l.location != "local" {
		return fmt.Sprintf("%s (%s)", l.name(), l.location)
	}
	return l.name()
}

func (l *line) userOr(def string) string {
	if l.user == "" {
		return def
	}
	return l.user
}

// lineTable tracks the sessions of all doors.
type lineTable struct {
	mu    sync.Mutex
	lines map[*line]bool
}

func newLineTable() *lineTable { return &lineTable{lines: map[*line]bool{}} }

func (t *lineTable) add(l *line) {
	t.mu.Lock()
	t.lines[l] = true
	t.mu.Unlock()
}

func (t *lineTable) remove(l *line) {
	t.mu.Lock()
	delete(t.lines, l)
	t.mu.Unlock()
}

// vtyInUse reports which vty numbers are taken.
func (t *lineTable) freeVTY(max int) (int, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	used := map[int]bool{}
	for l := range t.lines {
		if l.kind == "vty" {
			used[l.idx] = true
		}
	}
	for i := 0; i < max; i++ {
		if !used[i] {
			return i, true
		}
	}
	return 0, false
}

// list returns the lines ordered by line number.
func (t *lineTable) list() []*line {
	t.mu.Lock()
	out := make([]*line, 0, len(t.lines))
	for l := range t.lines {
		out = append(out, l)
	}
	t.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].number() != out[j].number() {
			return out[i].number() < out[j].number()
		}
		return out[i].since.Before(out[j].since)
	})
	return out
}

// notify shows a log message on every line with terminal monitor on.
func (t *lineTable) notify(msg string) {
	for _, l := range t.list() {
		if l.monitor.Load() && l.sess != nil {
			l.sess.Notify(msg)
		}
	}
}

// idle is how long the user of a line has not typed.
func (l *line) idle(now time.Time) time.Duration {
	if l.lastInput == nil {
		return now.Sub(l.since)
	}
	return now.Sub(l.lastInput())
}

func fmtDuration(d time.Duration) string {
	d = d.Truncate(time.Second)
	h := int(d.Hours())
	m := int(d.Minutes()) % 60
	sec := int(d.Seconds()) % 60
	return fmt.Sprintf("%02d:%02d:%02d", h, m, sec)
}
