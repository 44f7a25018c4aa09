package switchd

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// TestSSHLoad: 50 SSH sessions at once show and configure while one more
// floods its input. Every session completes its work, the flood neither
// stalls the others nor grows memory without bound, and (under -race) no
// data race shows.
func TestSSHLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	const sessions = 50
	r := newRig(t, "eth0")
	signer, authorized := newUserKey(t)
	r.configure("username admin privilege 15", "line vty 0 63", "login local",
		"ip ssh pubkey-chain", "username admin", "key-string "+authorized)
	addr, _ := r.startDoors(true, false)
	conf := sshConfig("admin", ssh.PublicKeys(signer))

	var peak, peakRSS atomic.Uint64
	heap := func() uint64 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapInuse
	}
	runtime.GC()
	base := heap()
	baseRSS := rssKiB()
	const heapBound = 256 << 20
	stopSampling := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			h := heap()
			if h > base+heapBound {
				// Garbage the collector has not reached yet (a loaded
				// machine, the race detector) is not what the bound is
				// for: collect, and count what is still held.
				runtime.GC()
				h = heap()
			}
			if h > peak.Load() {
				peak.Store(h)
			}
			if r := uint64(rssKiB()); r > peakRSS.Load() {
				peakRSS.Store(r)
			}
			select {
			case <-stopSampling:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()

	// The flooder: a PTY session typing as fast as the connection goes,
	// long lines without end, lines of garbage, escapes and control keys.
	flood := openShell(t, dialSSH(t, addr, conf), 80, 24)
	flood.out.expect(t, "Switch#")
	var flooded atomic.Int64
	stopFlood := make(chan struct{})
	floodDone := make(chan struct{})
	go func() {
		defer close(floodDone)
		rng := rand.New(rand.NewPCG(1, 2))
		chunk := make([]byte, 32<<10)
		for {
			select {
			case <-stopFlood:
				return
			default:
			}
			for i := range chunk {
				switch n := rng.IntN(100); {
				case n < 2:
					chunk[i] = '\r'
				case n < 4:
					chunk[i] = byte(rng.IntN(32))
				case n < 5:
					chunk[i] = '?'
				default:
					chunk[i] = byte(' ' + rng.IntN(95))
				}
			}
			if _, err := flood.in.Write(chunk); err != nil {
				return
			}
			flooded.Add(int64(len(chunk)))
		}
	}()

	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, sessions)
	durations := make([]time.Duration, sessions)
	for i := 0; i < sessions; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			t0 := time.Now()
			if err := loadSession(addr, conf, i); err != nil {
				errs <- fmt.Errorf("session %d: %w", i, err)
			}
			durations[i] = time.Since(t0)
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stopFlood)
	flood.client.Close()
	<-floodDone
	close(stopSampling)
	<-sampled
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	// Every VLAN made by a session is in the configuration.
	body := r.runningBody()
	for i := 0; i < sessions; i++ {
		if !strings.Contains(body, fmt.Sprintf("vlan %d\n name load%d\n", 100+i, i)) {
			t.Errorf("vlan %d of session %d missing", 100+i, i)
		}
	}
	var slowest time.Duration
	for _, d := range durations {
		slowest = max(slowest, d)
	}
	runtime.GC()
	after := heap()
	t.Logf("%d sessions x %d rounds in %v (slowest %v) while one flooded %d MiB of input; heap in use: %d MiB before, %d MiB peak, %d MiB after; RSS %d MiB before, %d MiB peak",
		sessions, loadRounds, elapsed.Round(time.Millisecond), slowest.Round(time.Millisecond), flooded.Load()>>20, base>>20, peak.Load()>>20, after>>20, baseRSS>>10, peakRSS.Load()>>10)
	// The client side of all 51 connections is in this process too; the
	// bound is generous but catches buffering without a limit (the flood
	// alone is far bigger than it).
	if grow := peak.Load() - base; grow > heapBound {
		t.Errorf("heap grew by %d MiB", grow>>20)
	}
	if flooded.Load() < 4<<20 {
		t.Logf("note: only %d KiB flooded", flooded.Load()>>10)
	}
	waitUntil(t, "every line to be freed", func() bool { return !strings.Contains(r.run("show users"), "vty") })
}

const loadRounds = 5

// rssKiB is the resident set size of this process.
func rssKiB() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n
		}
	}
	return 0
}

// loadSession logs in, shows, configures a VLAN and checks it.
func loadSession(addr string, conf *ssh.ClientConfig, i int) error {
	c, err := ssh.Dial("tcp", addr, conf)
	if err != nil {
		return err
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		return err
	}
	out := &screenBuf{}
	sess.Stdout = out
	in, err := sess.StdinPipe()
	if err != nil {
		return err
	}
	if err := sess.RequestPty("xterm", 24, 80, ssh.TerminalModes{}); err != nil {
		return err
	}
	if err := sess.Shell(); err != nil {
		return err
	}
	wait := func(want string) error {
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) {
			txt := out.text()
			if j := strings.Index(txt[out.seen:], want); j >= 0 {
				out.seen += j + len(want)
				return nil
			}
			time.Sleep(10 * time.Millisecond)
		}
		return fmt.Errorf("never saw %q; screen ends:\n%s", want, tail(out.text(), 600))
	}
	steps := []struct{ send, want string }{
		{"", "Switch#"},
		{"terminal length 0\r", "Switch#"},
	}
	// Five rounds of showing and configuring; the last name stays.
	for round := 0; round < loadRounds; round++ {
		name := fmt.Sprintf("load%d-%d", i, round)
		if round == loadRounds-1 {
			name = fmt.Sprintf("load%d", i)
		}
		steps = append(steps, []struct{ send, want string }{
			{"show version\r", "LiSA-Go Software"},
			{"", "Switch#"},
			{"show running-config\r", "end\n"},
			{"configure terminal\r", "Switch(config)#"},
			{fmt.Sprintf("vlan %d\r", 100+i), "Switch(config-vlan)#"},
			{fmt.Sprintf("name %s\r", name), "Switch(config-vlan)#"},
			{"end\r", "Switch#"},
			{fmt.Sprintf("show vlan brief | include %s\r", name), fmt.Sprintf("%d  %s ", 100+i, name)},
			{"show users | include vty\r", "Switch#"},
		}...)
	}
	steps = append(steps, struct{ send, want string }{"exit\r", ""})
	for _, s := range steps {
		if s.send != "" {
			if _, err := in.Write([]byte(s.send)); err != nil {
				return err
			}
		}
		if s.want != "" {
			if err := wait(s.want); err != nil {
				return err
			}
		}
	}
	return sess.Wait()
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
