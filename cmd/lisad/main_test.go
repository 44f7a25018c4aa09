package main

import (
	"bytes"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A bad lisad.toml is reported once, plainly, not also through slog's
// default logger.
func TestBadSettingsReportedOnce(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "lisad.toml")
	if err := os.WriteFile(cfg, []byte("bogus_key = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	log.SetOutput(&logged) // where slog's default handler writes
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	var stdout, stderr bytes.Buffer
	code := run([]string{"--config", cfg, "--config-dir", dir, "--run-dir", dir}, &stdout, &stderr)
	if code != 1 {
		t.Errorf("exit status %d", code)
	}
	msg := stderr.String()
	if !strings.HasPrefix(msg, "lisad: ") || strings.Count(msg, "\n") != 1 || !strings.Contains(msg, "bogus_key") {
		t.Errorf("stderr: %q", msg)
	}
	if logged.Len() > 0 {
		t.Errorf("also logged: %q", logged.String())
	}
}

func TestUnexpectedArgument(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"extra"}, &stdout, &stderr); code != 2 || stderr.String() != "lisad: unexpected argument \"extra\"\n" {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}
