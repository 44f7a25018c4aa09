package configstore

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// File and directory names inside the configuration directory.
const (
	StartupFile = "config.text"
	TagsDirName = "tags"
)

// Permissions: the startup-config holds secrets (enable secrets, the vty
// password), so everything is readable by root only, as in the original.
const (
	dirPerm  os.FileMode = 0o700
	filePerm os.FileMode = 0o600
)

// maxConfigFile bounds what ReadStartup and ReadVM read, so that a stray huge
// file cannot exhaust memory. Real configurations are a few kilobytes.
const maxConfigFile = 16 << 20

// Store is the configuration directory of one switch (/etc/lisa by default):
// the startup-config and one record per VM under tags/. Its methods may be
// called from several goroutines; writes to the same file are atomic, the
// last one wins.
type Store struct {
	dir string
}

// NewStore returns the store rooted at dir. Nothing is touched on disk
// until a method needs it.
func NewStore(dir string) *Store { return &Store{dir: dir} }

// Dir returns the configuration directory.
func (s *Store) Dir() string { return s.dir }

// StartupPath returns the path of the startup-config, DIR/config.text.
func (s *Store) StartupPath() string { return filepath.Join(s.dir, StartupFile) }

// TagsDir returns the directory of the per-VM records, DIR/tags.
func (s *Store) TagsDir() string { return filepath.Join(s.dir, TagsDirName) }

// VMPath returns the path of a VM's record, DIR/tags/<domain>, or an error
// if the domain name is not one that can be a file name there.
func (s *Store) VMPath(domain string) (string, error) {
	if err := ValidateDomain(domain); err != nil {
		return "", err
	}
	return filepath.Join(s.TagsDir(), domain), nil
}

// Prepare creates the configuration directory (mode 0700) and tags/ inside
// it if they are missing, and reports whether it had to create the
// configuration directory, so that `write memory` can say so as the
// original did. Something that is not a directory in either place is an
// error. The write methods call it themselves.
func (s *Store) Prepare() (created bool, err error) {
	created, err = ensureDir(s.dir)
	if err != nil {
		return created, err
	}
	_, err = ensureDir(s.TagsDir())
	return created, err
}

func ensureDir(dir string) (created bool, err error) {
	fi, err := os.Stat(dir)
	switch {
	case err == nil && fi.IsDir():
		return false, nil
	case err == nil:
		return false, fmt.Errorf("%s is not a directory", dir)
	case !errors.Is(err, fs.ErrNotExist):
		return false, err
	}
	if err := os.MkdirAll(dir, dirPerm); err != nil {
		return false, err
	}
	return true, syncDir(filepath.Dir(dir))
}

// RemoveStaleTemp removes the temporary files that a write interrupted by a
// crash left in the configuration and tags directories. lisad calls it once
// at start-up, before anything writes.
func (s *Store) RemoveStaleTemp() error {
	var errs []error
	for _, dir := range []string{s.dir, s.TagsDir()} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
			continue
		}
		for _, e := range entries {
			if name := e.Name(); strings.HasPrefix(name, ".") && strings.Contains(name, tempInfix) && e.Type().IsRegular() {
				if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
					errs = append(errs, err)
				}
			}
		}
	}
	return errors.Join(errs...)
}

// ReadStartup returns the startup-config. A missing file is not an error:
// present is false and text empty, as on a switch never saved.
func (s *Store) ReadStartup() (text string, present bool, err error) {
	b, present, err := readBounded(s.StartupPath())
	return string(b), present, err
}

// WriteStartup replaces the startup-config atomically, creating the
// configuration directory first if needed. Errors are *WriteError.
func (s *Store) WriteStartup(text string) error {
	if _, err := s.Prepare(); err != nil {
		return &WriteError{Path: s.StartupPath(), Err: err}
	}
	return WriteFileAtomic(s.StartupPath(), []byte(text), filePerm)
}

// EraseStartup removes the startup-config; erasing one that is not there
// succeeds. VM records are kept: they belong to the VMs.
func (s *Store) EraseStartup() error {
	if err := removeDurably(s.StartupPath()); err != nil {
		return fmt.Errorf("%%Error deleting %s: %s", s.StartupPath(), Reason(err))
	}
	return nil
}

// readBounded reads a whole file of at most maxConfigFile bytes.
func readBounded(path string) ([]byte, bool, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("%%Error reading %s: %s", path, Reason(err))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxConfigFile+1))
	if err != nil {
		return nil, true, fmt.Errorf("%%Error reading %s: %s", path, Reason(err))
	}
	if len(b) > maxConfigFile {
		return nil, true, fmt.Errorf("%%Error reading %s: larger than %d bytes", path, maxConfigFile)
	}
	return b, true, nil
}
