package switchd

import (
	"errors"
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
	location string // a vty's client address; the console's client terminal
	since    time.Time
	sess     *cli.Session
	// lastInput tells when the user last typed; nil for batch sessions.
	lastInput func() time.Time
	// hangup ends the session from outside (clear line, exec-timeout).
	hangup func()
	// monitor: show log messages on this line (terminal monitor).
	monitor atomic.Bool
	// width is the session's terminal width (0: the terminal's own).
	width atomic.Int32
	// configured: a configuration command ran since entering config mode.
	configured bool

	// A remote door fills in the user and the session after the login,
	// while the line is already listed; mu guards them for such lines.
	mu sync.Mutex
	// info describes the connection for show ssh (protocol details).
	info *sshInfo

	// Log messages wait in notes until a goroutine shows them, so that the
	// one logging never waits for a slow terminal.
	nmu        sync.Mutex
	notes      []string
	delivering bool
	dropped    int
}

// maxPendingNotes bounds the log messages queued for one terminal.
const maxPendingNotes = 256

// number is the absolute line number IOS shows: 0 for the console, 1+ for vtys.
func (l *line) number() int {
	if l.kind == "vty" {
		return l.idx + 1
	}
	return 0
}

func (l *line) name() string { return fmt.Sprintf("%s %d", l.kind, l.idx) }

func (l *line) userOr(def string) string {
	if u := l.userName(); u != "" {
		return u
	}
	return def
}

// userName is the user logged in on the line ("" if the login asked for
// no name).
func (l *line) userName() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.user
}

// session is the line's session, nil while a remote user is logging in.
func (l *line) session() *cli.Session {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sess
}

// attach records the session and user of a remote line after its login.
func (l *line) attach(sess *cli.Session, user string) {
	l.mu.Lock()
	l.sess, l.user = sess, user
	l.mu.Unlock()
	sess.Info = l
}

// configuredBy is how the configuration log names who configured, IOS
// style: "console by admin on vty0 (10.0.0.5)", "console by vty0 (10.0.0.5)"
// when the login asked for no user name, "console by root on console".
func (l *line) configuredBy() string {
	where := "console"
	if l.kind == "vty" {
		where = fmt.Sprintf("vty%d", l.idx)
		if l.location != "" {
			where += " (" + l.location + ")"
		}
	}
	if u := l.userName(); u != "" {
		return "console by " + u + " on " + where
	}
	return "console by " + where
}

// endSession hangs the line up: the remote connection closes, a local
// interactive session ends as if its terminal closed.
func (l *line) endSession() bool {
	if l.kind == "con" {
		sess := l.session()
		return sess != nil && sess.Hangup()
	}
	l.mu.Lock()
	h := l.hangup
	l.mu.Unlock()
	if h == nil {
		return false
	}
	h()
	return true
}

// lineTable tracks the sessions of all doors.
type lineTable struct {
	mu    sync.Mutex
	lines map[*line]bool
	uses  map[int]int // sessions each line number has had (show line)
}

func newLineTable() *lineTable { return &lineTable{lines: map[*line]bool{}, uses: map[int]int{}} }

func (t *lineTable) add(l *line) {
	t.mu.Lock()
	t.lines[l] = true
	t.uses[l.number()]++
	t.mu.Unlock()
}

// usesByNumber returns how many sessions each line number has had.
func (t *lineTable) usesByNumber() map[int]int {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[int]int, len(t.uses))
	for n, u := range t.uses {
		out[n] = u
	}
	return out
}

func (t *lineTable) remove(l *line) {
	t.mu.Lock()
	delete(t.lines, l)
	t.mu.Unlock()
}

// freeVTY returns the first vty number not taken.
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

// reserveVTY gives l the first free vty among n that accepts the door and
// whose session-limit (limit(idx), 0 = none) allows one more session given
// how many vtys are in use, and lists it, in one step so that two
// connections never get the same line. When there is none, it says why,
// for the refusal the client sees.
func (t *lineTable) reserveVTY(l *line, n int, accepts func(idx int) bool, limit func(idx int) int) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	used := map[int]bool{}
	for o := range t.lines {
		if o.kind == "vty" {
			used[o.idx] = true
		}
	}
	any, limited := false, 0
	for i := 0; i < n; i++ {
		if !accepts(i) {
			continue
		}
		any = true
		if used[i] {
			continue
		}
		if lim := limit(i); lim > 0 && len(used) >= lim {
			if limited == 0 || lim < limited {
				limited = lim
			}
			continue
		}
		l.kind, l.idx = "vty", i
		t.lines[l] = true
		t.uses[l.number()]++
		return nil
	}
	switch {
	case !any:
		return errNoTransport
	case limited > 0:
		return &sessionLimitError{limit: limited, inUse: len(used)}
	}
	return errAllBusy
}

// Why a connection found no vty.
var (
	errNoTransport = errors.New("no vty line accepts the protocol (transport input)")
	errAllBusy     = errors.New("every vty line that accepts the protocol is in use")
)

// sessionLimitError: the free vtys that accept the protocol allow no more
// sessions (session-limit).
type sessionLimitError struct{ limit, inUse int }

func (e *sessionLimitError) Error() string {
	return fmt.Sprintf("session limit reached (session-limit %d, %d vty lines in use)", e.limit, e.inUse)
}

// refusalText is what a client is told when no vty takes its connection.
func refusalText(err error, door string) string {
	var le *sessionLimitError
	switch {
	case errors.Is(err, errNoTransport):
		return fmt.Sprintf("%% No vty line accepts %s (transport input)", door)
	case errors.As(err, &le):
		return fmt.Sprintf("%% Session limit reached (session-limit %d)", le.limit)
	}
	return fmt.Sprintf("%% No free vty line accepts %s", door)
}

// find returns the line of a kind and number, or nil.
func (t *lineTable) find(kind string, idx int) *line {
	for _, l := range t.list() {
		if l.kind == kind && l.idx == idx {
			return l
		}
	}
	return nil
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

// notify shows a log message on every line with terminal monitor on. It
// never waits for a terminal: each line gets the message in its own time.
func (t *lineTable) notify(msg string) {
	for _, l := range t.list() {
		if l.monitor.Load() && l.session() != nil {
			l.post(msg)
		}
	}
}

// post queues a log message for the line's terminal; beyond
// maxPendingNotes waiting messages, new ones are dropped.
func (l *line) post(msg string) {
	l.nmu.Lock()
	if len(l.notes) >= maxPendingNotes {
		l.dropped++
		l.nmu.Unlock()
		return
	}
	l.notes = append(l.notes, msg)
	if l.delivering {
		l.nmu.Unlock()
		return
	}
	l.delivering = true
	l.nmu.Unlock()
	go l.deliver()
}

func (l *line) deliver() {
	for {
		l.nmu.Lock()
		if len(l.notes) == 0 {
			l.delivering = false
			l.notes = nil
			l.nmu.Unlock()
			return
		}
		msg := l.notes[0]
		l.notes = l.notes[1:]
		l.nmu.Unlock()
		if sess := l.session(); sess != nil {
			sess.Notify(msg)
		}
	}
}

// idle is how long the user of a line has not typed.
func (l *line) idle(now time.Time) time.Duration {
	if sess := l.session(); sess != nil {
		if d, ok := sess.InputIdle(time.Now()); ok {
			return max(d, 0)
		}
	}
	return max(now.Sub(l.since), 0)
}

func fmtDuration(d time.Duration) string {
	d = d.Truncate(time.Second)
	h := int(d.Hours())
	m := int(d.Minutes()) % 60
	sec := int(d.Seconds()) % 60
	return fmt.Sprintf("%02d:%02d:%02d", h, m, sec)
}
