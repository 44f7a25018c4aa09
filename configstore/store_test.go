package configstore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStorePaths(t *testing.T) {
	s := NewStore("/etc/lisa")
	if s.Dir() != "/etc/lisa" || s.StartupPath() != "/etc/lisa/config.text" || s.TagsDir() != "/etc/lisa/tags" {
		t.Errorf("paths: %s %s %s", s.Dir(), s.StartupPath(), s.TagsDir())
	}
	if p, err := s.VMPath("web01"); err != nil || p != "/etc/lisa/tags/web01" {
		t.Errorf("VMPath = %q, %v", p, err)
	}
	if _, err := s.VMPath("../config.text"); err == nil {
		t.Error("VMPath accepted ../config.text")
	}
}

func TestStorePrepare(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "etc", "lisa")
	s := NewStore(dir)
	created, err := s.Prepare()
	if err != nil || !created {
		t.Fatalf("Prepare = %v, %v; want created", created, err)
	}
	for _, d := range []string{dir, s.TagsDir()} {
		fi, err := os.Stat(d)
		if err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: %v, %v", d, fi.Mode(), err)
		}
	}
	if created, err := s.Prepare(); err != nil || created {
		t.Fatalf("second Prepare = %v, %v", created, err)
	}

	// Something that is not a directory where the config root should be.
	file := filepath.Join(t.TempDir(), "lisa")
	os.WriteFile(file, nil, 0o600)
	if _, err := NewStore(file).Prepare(); err == nil || !strings.Contains(err.Error(), "is not a directory") {
		t.Errorf("Prepare on a file: %v", err)
	}
	err = NewStore(file).WriteStartup("!\n")
	if err == nil || !strings.HasPrefix(err.Error(), "%Error writing "+file+"/config.text: ") {
		t.Errorf("WriteStartup under a file: %v", err)
	}
}

func TestStoreStartup(t *testing.T) {
	s := NewStore(filepath.Join(t.TempDir(), "lisa"))
	if text, present, err := s.ReadStartup(); text != "" || present || err != nil {
		t.Fatalf("ReadStartup before any write = %q, %v, %v", text, present, err)
	}
	if err := s.EraseStartup(); err != nil {
		t.Fatalf("erasing nothing: %v", err)
	}
	cfg := "!\nhostname Switch\n!\n!\n"
	if err := s.WriteStartup(cfg); err != nil {
		t.Fatal(err)
	}
	if text, present, err := s.ReadStartup(); text != cfg || !present || err != nil {
		t.Fatalf("ReadStartup = %q, %v, %v", text, present, err)
	}
	if fi, _ := os.Stat(s.StartupPath()); fi.Mode().Perm() != 0o600 {
		t.Errorf("startup-config mode %v: it holds secrets", fi.Mode())
	}
	if fi, _ := os.Stat(s.TagsDir()); fi == nil || !fi.IsDir() {
		t.Error("tags/ not created with the config dir")
	}
	if err := s.EraseStartup(); err != nil {
		t.Fatal(err)
	}
	if _, present, _ := s.ReadStartup(); present {
		t.Fatal("startup-config still there after erase")
	}
}

func TestStoreReadStartupErrors(t *testing.T) {
	dir := t.TempDir()
	s := NewStore(dir)
	os.Mkdir(s.StartupPath(), 0o700) // a directory cannot be read as a file
	if _, present, err := s.ReadStartup(); err == nil || !present ||
		err.Error() != "%Error reading "+s.StartupPath()+": is a directory" {
		t.Errorf("ReadStartup of a directory: %v, %v", present, err)
	}
	os.Remove(s.StartupPath())
	big, _ := os.Create(s.StartupPath())
	big.Truncate(maxConfigFile + 1)
	big.Close()
	if _, _, err := s.ReadStartup(); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("ReadStartup of a huge file: %v", err)
	}
}

func TestStoreRemoveStaleTemp(t *testing.T) {
	s := NewStore(t.TempDir())
	s.Prepare()
	keep := []string{s.StartupPath(), filepath.Join(s.TagsDir(), "web01"), filepath.Join(s.Dir(), ".hidden")}
	stale := []string{filepath.Join(s.Dir(), ".config.text.tmp-123"), filepath.Join(s.TagsDir(), ".web01.tmp-9")}
	for _, p := range append(keep, stale...) {
		os.WriteFile(p, []byte("x"), 0o600)
	}
	if err := s.RemoveStaleTemp(); err != nil {
		t.Fatal(err)
	}
	for _, p := range keep {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s removed", p)
		}
	}
	for _, p := range stale {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s kept", p)
		}
	}
	if err := NewStore(filepath.Join(t.TempDir(), "none")).RemoveStaleTemp(); err != nil {
		t.Errorf("on a missing dir: %v", err)
	}
}
