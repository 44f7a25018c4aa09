package configstore

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// killWriterEnv, when set to a path, turns the test binary into the child of
// TestWriteFileAtomicSurvivesKill: it rewrites that file forever.
const killWriterEnv = "LISA_CONFIGSTORE_KILL_WRITER"

func TestMain(m *testing.M) {
	if path := os.Getenv(killWriterEnv); path != "" {
		runKillWriter(path)
		return
	}
	os.Exit(m.Run())
}

// killContents are the two complete versions the child alternates between.
// They differ in length too, so a torn file can never pass for either.
var killContents = [2][]byte{
	bytes.Repeat([]byte("hostname A\n!\n"), 20000),
	bytes.Repeat([]byte("hostname Bee\n!\n"), 13000),
}

func runKillWriter(path string) {
	for i := 0; ; i++ {
		if err := WriteFileAtomic(path, killContents[i%2], 0o600); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if i == 0 {
			fmt.Println("ready")
		}
	}
}

// TestWriteFileAtomicSurvivesKill runs a writer that replaces a file in a
// loop, kills it with SIGKILL at random moments and checks every time that
// the file is one of the complete versions.
func TestWriteFileAtomicSurvivesKill(t *testing.T) {
	iterations := 200
	if testing.Short() {
		iterations = 20
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "config.text")
	if err := WriteFileAtomic(path, killContents[1], 0o600); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	seen := map[int]int{}
	for i := 0; i < iterations; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), killWriterEnv+"="+path)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if line, err := bufio.NewReader(out).ReadString('\n'); err != nil || line != "ready\n" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("iteration %d: child said %q, %v", i, line, err)
		}
		time.Sleep(time.Duration(rng.IntN(5000)) * time.Microsecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		err = cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("iteration %d: child ended by %v, not by SIGKILL", i, err)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("iteration %d: %v", i, err)
		}
		switch {
		case bytes.Equal(got, killContents[0]):
			seen[0]++
		case bytes.Equal(got, killContents[1]):
			seen[1]++
		default:
			t.Fatalf("iteration %d: file is neither version (%d bytes)", i, len(got))
		}
	}
	temps, _ := filepath.Glob(filepath.Join(dir, ".config.text.tmp-*"))
	t.Logf("%d kills: version A %d times, version B %d times; %d temporary files left by kills",
		iterations, seen[0], seen[1], len(temps))
	if iterations >= 100 && (seen[0] == 0 || seen[1] == 0) {
		t.Errorf("kills always found the same version %v: the writer was not caught mid-loop", seen)
	}
	// lisad clears those leftovers at start-up.
	if err := NewStore(dir).RemoveStaleTemp(); err != nil {
		t.Fatal(err)
	}
	if temps, _ := filepath.Glob(filepath.Join(dir, ".*")); len(temps) != 0 {
		t.Errorf("after RemoveStaleTemp: %v", temps)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.text")
	for _, content := range []string{"first\n", "second, longer\n", ""} {
		if err := WriteFileAtomic(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != content {
			t.Fatalf("read back %q, %v; want %q", got, err, content)
		}
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v", fi.Mode(), err)
	}
	if err := WriteFileAtomic(path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode after rewrite %v", fi.Mode())
	}
	assertOnlyFiles(t, dir, "config.text")
}

func TestWriteFileAtomicErrors(t *testing.T) {
	dir := t.TempDir()
	// A directory where the file should be: the rename fails.
	isDir := filepath.Join(dir, "config.text")
	os.Mkdir(isDir, 0o700)
	notDir := filepath.Join(dir, "plain")
	os.WriteFile(notDir, []byte("x"), 0o600)
	tests := []struct {
		name, path, msg string
	}{
		{"missing directory", filepath.Join(dir, "nope", "config.text"),
			"%Error writing " + dir + "/nope/config.text: no such file or directory"},
		{"file as directory", filepath.Join(notDir, "config.text"),
			"%Error writing " + notDir + "/config.text: not a directory"},
		{"directory as file", isDir, "%Error writing " + isDir + ": file exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := WriteFileAtomic(tt.path, []byte("new"), 0o600)
			var we *WriteError
			if !errors.As(err, &we) || we.Path != tt.path {
				t.Fatalf("error %v is not a *WriteError for %s", err, tt.path)
			}
			if err.Error() != tt.msg {
				t.Errorf("message %q, want %q", err.Error(), tt.msg)
			}
		})
	}
	assertOnlyFiles(t, dir, "config.text", "plain")
}

func TestWriteErrorFormat(t *testing.T) {
	err := &WriteError{Path: "/etc/lisa/config.text", Err: &os.PathError{Op: "write",
		Path: "/etc/lisa/.config.text.tmp-1", Err: syscall.ENOSPC}}
	if got, want := err.Error(), "%Error writing /etc/lisa/config.text: no space left on device"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, syscall.ENOSPC) {
		t.Error("WriteError does not unwrap to its cause")
	}
	if got := Reason(errors.New("odd")); got != "odd" {
		t.Errorf("Reason = %q", got)
	}
}

// TestWriteFileAtomicReadOnlyFS writes to a file system mounted read-only
// (a tmpfs remounted ro: even root cannot write there).
func TestWriteFileAtomicReadOnlyFS(t *testing.T) {
	dir := mountTmpfs(t, "size=1m")
	path := filepath.Join(dir, "config.text")
	if err := WriteFileAtomic(path, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_REMOUNT|syscall.MS_RDONLY, "size=1m"); err != nil {
		t.Fatalf("remount read-only: %v", err)
	}
	err := WriteFileAtomic(path, []byte("new\n"), 0o600)
	if err == nil || err.Error() != "%Error writing "+path+": read-only file system" {
		t.Fatalf("error = %v", err)
	}
	assertContent(t, path, "old\n")
	assertOnlyFiles(t, dir, "config.text")
}

// TestWriteFileAtomicDiskFull fills a 64 KiB tmpfs.
func TestWriteFileAtomicDiskFull(t *testing.T) {
	dir := mountTmpfs(t, "size=64k")
	path := filepath.Join(dir, "config.text")
	old := strings.Repeat("hostname old\n", 100)
	if err := WriteFileAtomic(path, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	err := WriteFileAtomic(path, bytes.Repeat([]byte("x"), 256<<10), 0o600)
	if err == nil || err.Error() != "%Error writing "+path+": no space left on device" {
		t.Fatalf("error = %v", err)
	}
	assertContent(t, path, old)
	assertOnlyFiles(t, dir, "config.text")
	// The space of the failed attempt is free again: a small write works.
	if err := WriteFileAtomic(path, []byte("small\n"), 0o600); err != nil {
		t.Fatalf("after the failure: %v", err)
	}
}

// mountTmpfs mounts a private tmpfs for the test and unmounts it when the
// test ends, failed or not. It skips the test where mounting is not allowed.
func mountTmpfs(t *testing.T, options string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a tmpfs")
	}
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, options); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v", err)
	}
	// Registered after TempDir's own cleanup, so it runs before it.
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

func assertContent(t *testing.T, path, want string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil || string(got) != want {
		t.Fatalf("%s holds %q (%v), want %q", path, got, err, want)
	}
}

// assertOnlyFiles checks that dir holds exactly the named entries: no
// temporary file was left behind.
func assertOnlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Errorf("%s holds %v, want %v", dir, got, names)
	}
}
