package switchd

import (
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lisa-go/lisa/cli"
	"github.com/lisa-go/lisa/clockzone"
	"github.com/lisa-go/lisa/configstore"
	"github.com/lisa-go/lisa/engine"
	"github.com/lisa-go/lisa/engine/enginetest"
	"github.com/lisa-go/lisa/mgmtroute"
)

// testClock is a settable clock.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// rig is a switch on fake netdevs with its configuration in a temp dir.
type rig struct {
	t     *testing.T
	sw    *Switch
	host  *enginetest.Host
	eng   *engine.Engine
	store *configstore.Store
	clock *testClock
	logs  *logRecorder
	gw    *fakeGateway
	ping  *fakePing
}

// fakeGateway records what the switch asks of its ManagementRouter; like
// the kernel, it refuses a gateway none of the sources' subnets holds
// (reach lists the subnets that do).
type fakeGateway struct {
	mu      sync.Mutex
	gw      netip.Addr
	sources []netip.Addr
	reach   []netip.Prefix
	sets    int
}

func (f *fakeGateway) Set(gw netip.Addr, sources []netip.Addr) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sets++
	f.gw, f.sources = netip.Addr{}, append([]netip.Addr(nil), sources...)
	if !gw.IsValid() || len(sources) == 0 {
		return nil
	}
	for _, p := range f.reach {
		if p.Contains(gw) {
			f.gw = gw
			return nil
		}
	}
	return fmt.Errorf("%w: %s", mgmtroute.ErrGatewayUnreachable, gw)
}

func (f *fakeGateway) state() (netip.Addr, []netip.Addr) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.gw, f.sources
}

// logRecorder keeps the messages logged by the switch.
type logRecorder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logRecorder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logRecorder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newRig(t *testing.T, links ...string) *rig {
	t.Helper()
	host := enginetest.NewHost()
	for i, l := range links {
		host.AddLink(l, engine.MAC{0x02, 0x11, 0x22, 0x33, 0x44, byte(i + 1)})
	}
	return newRigOn(t, host, configstore.NewStore(t.TempDir()+"/etc-lisa"), "")
}

// newRigOn starts a switch on an existing fake host and configuration, as a
// restarted lisad would find them.
func newRigOn(t *testing.T, host *enginetest.Host, store *configstore.Store, runDir string) *rig {
	t.Helper()
	clock := &testClock{now: time.Date(2026, 11, 21, 10, 15, 32, 123e6, time.UTC)}
	eng, err := engine.New(engine.Config{Host: host, AgeInterval: -1, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	logs := &logRecorder{}
	gw := &fakeGateway{}
	ping := &fakePing{}
	sw, err := New(Options{Engine: eng, Store: store, Now: clock.Now, Kernel: "Linux 6.1.0-test #1 SMP", Platform: "x86_64", RunDir: runDir,
		Logger: slog.New(slog.NewTextHandler(logs, nil)), Gateway: gw, Ping: ping.open,
		ClockSync: func() (clockzone.Sync, error) {
			return clockzone.Sync{Synchronized: true, Estimated: 520 * time.Microsecond, Maximum: 12 * time.Millisecond}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sw.Close) // before the engine's: cleanups run last first
	return &rig{t: t, sw: sw, host: host, eng: eng, store: store, clock: clock, logs: logs, gw: gw, ping: ping}
}

// reloaded saves the running-config and starts another switch on the same
// host and files, as a restarted lisad; the startup-config must load without
// errors and give want, the running-config that was saved.
func (r *rig) reloaded(want string) *rig {
	r.t.Helper()
	r.run("write memory")
	r.sw.Close()
	r.eng.Close()
	r2 := newRigOn(r.t, r.host, r.store, "")
	r2.gw.reach = r.gw.reach
	if errs := r2.sw.LoadStartup(); len(errs) > 0 {
		r.t.Fatalf("startup errors: %+v", errs)
	}
	if after := r2.runningBody(); after != want {
		r.t.Fatalf("reloaded running-config differs:\n%s", firstDiff(after, want))
	}
	return r2
}

// console opens a level-15 console session, as swcli does.
func (r *rig) console() *cli.Session {
	sess := cli.NewSession(r.sw.env, privMax)
	l := r.sw.newConsoleLine("root", "", sess)
	r.t.Cleanup(func() { r.sw.lines.remove(l) })
	return sess
}

// vty opens a level-1 session on a vty line, as telnet and SSH do.
func (r *rig) vty(user, from string) *cli.Session {
	sess := cli.NewSession(r.sw.env, privUser)
	idx, _ := r.sw.lines.freeVTY(16)
	l := &line{kind: "vty", idx: idx, door: "ssh", user: user, location: from, since: r.clock.Now(), sess: sess}
	sess.Info = l
	r.sw.lines.add(l)
	r.t.Cleanup(func() { r.sw.lines.remove(l) })
	return sess
}

// run types lines on a fresh console session and returns the screen.
func (r *rig) run(lines ...string) string {
	return r.console().Transcript(lines)
}

// configure runs configuration lines (in config mode) and fails on any error.
func (r *rig) configure(lines ...string) {
	r.t.Helper()
	sess := cli.NewSession(r.sw.env, privMax)
	out := sess.Transcript(append(append([]string{"configure terminal"}, lines...), "end"))
	if sess.Failures() > 0 {
		r.t.Fatalf("configuration failed:\n%s", out)
	}
}

// body is the running-config text between the header and "end".
func (r *rig) runningBody() string {
	r.sw.mu.Lock()
	defer r.sw.mu.Unlock()
	return r.sw.runningText()
}

func expectScreen(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("screen mismatch\n--- got ---\n%s\n--- want ---\n%s\n--- diff ---\n%s", got, want, firstDiff(got, want))
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n got: %q\nwant: %q", i+1, x, y)
		}
	}
	return ""
}
