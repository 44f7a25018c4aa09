package switchd

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lisa-go/lisa/configstore"
	"github.com/lisa-go/lisa/engine"
	"github.com/lisa-go/lisa/engine/enginetest"
)

// saveKillDirEnv, when set, makes TestWriteMemoryKillChild the child of
// TestWriteMemorySurvivesKill: a switch that runs write memory forever.
const saveKillDirEnv = "LISA_SWITCHD_SAVE_KILL_DIR"

// The two configurations the child alternates between: the hostname, the
// VM's VLAN and the length of a description all differ, so a torn file
// can never pass for either.
var saveKillVersions = [2]struct{ hostname, vlan, desc string }{
	{"edge-a", "30", strings.Repeat("a", 200)},
	{"edge-bee", "31", strings.Repeat("b", 90)},
}

func TestWriteMemoryKillChild(t *testing.T) {
	dir := os.Getenv(saveKillDirEnv)
	if dir == "" {
		t.Skip("the child of TestWriteMemorySurvivesKill")
	}
	host := enginetest.NewHost()
	for i, l := range []string{"eth0", "vif5.0", "vif5.1"} {
		host.AddLink(l, engine.MAC{0x02, 0, 0, 0, 0, byte(i + 1)})
	}
	r := newRigOn(t, host, configstore.NewStore(dir), "")
	start := time.Now()
	for i := 0; ; i++ {
		v := saveKillVersions[i%2]
		r.configure("hostname "+v.hostname, "interface eth0", "description "+v.desc,
			"interface vif5.0", "vm web01 nic 0", "switchport access vlan "+v.vlan,
			"interface vif5.1", "vm web01 nic 1", "description "+v.desc)
		if out := r.run("write memory"); !strings.Contains(out, "[OK]") {
			fmt.Fprintf(os.Stderr, "write memory failed:\n%s", out)
			os.Exit(2)
		}
		if i == 3 {
			// The parent kills at a random moment within a few saves,
			// however fast this machine's disk is.
			fmt.Printf("ready %d\n", time.Since(start)/4)
		}
	}
}

// TestWriteMemorySurvivesKill kills a switch in the middle of write memory
// (SIGKILL at random moments) many times and checks that the startup-config
// and the VM's record are each always one complete version, old or new.
func TestWriteMemorySurvivesKill(t *testing.T) {
	if os.Getenv(saveKillDirEnv) != "" {
		t.Skip("in the child")
	}
	iterations := 100
	if testing.Short() {
		iterations = 10
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 11))
	seen := map[string]int{}
	for i := 0; i < iterations; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestWriteMemoryKillChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), saveKillDirEnv+"="+dir)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		var perSave time.Duration
		if _, serr := fmt.Sscanf(line, "ready %d\n", &perSave); err != nil || serr != nil || perSave <= 0 {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("iteration %d: child said %q, %v", i, line, err)
		}
		time.Sleep(time.Duration(rng.Int64N(int64(3 * perSave))))
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("iteration %d: child ended by itself: %v", i, cmd.ProcessState)
		}
		cfg, err := os.ReadFile(filepath.Join(dir, "config.text"))
		if err != nil {
			t.Fatalf("iteration %d: %v", i, err)
		}
		if !strings.HasSuffix(string(cfg), "\nend\n") {
			t.Fatalf("iteration %d: config.text is cut short (%d bytes)", i, len(cfg))
		}
		seen["config "+wholeVersion(t, i, "config.text", string(cfg), func(v int) []string {
			return []string{"hostname " + saveKillVersions[v].hostname + "\n", " description " + saveKillVersions[v].desc + "\n"}
		})]++
		rec, err := os.ReadFile(filepath.Join(dir, "tags", "web01"))
		if err != nil {
			t.Fatalf("iteration %d: %v", i, err)
		}
		seen["vm "+wholeVersion(t, i, "tags/web01", string(rec), func(v int) []string {
			return []string{" switchport access vlan " + saveKillVersions[v].vlan + "\n", " description " + saveKillVersions[v].desc + "\n"}
		})]++
	}
	t.Logf("%d kills during write memory: %v", iterations, seen)
	if iterations >= 50 && (seen["config 0"] == 0 || seen["config 1"] == 0) {
		t.Errorf("kills always found the same startup-config %v: the saves were not caught mid-loop", seen)
	}
}

// wholeVersion says which version (0 or 1) a saved file is, failing the
// test when it is neither or both: a torn or mixed file.
func wholeVersion(t *testing.T, iteration int, name, text string, marks func(v int) []string) string {
	t.Helper()
	var match []int
	for v := range saveKillVersions {
		all := true
		for _, m := range marks(v) {
			all = all && strings.Contains(text, m)
		}
		if all {
			match = append(match, v)
		}
	}
	if len(match) != 1 {
		t.Fatalf("iteration %d: %s is not one complete version (%d bytes):\n%s", iteration, name, len(text), text)
	}
	return fmt.Sprint(match[0])
}
