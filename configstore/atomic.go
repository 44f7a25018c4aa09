package configstore

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// WriteError is the error of a failed write to a configuration file. Its
// message is the line the shell prints, as IOS does:
//
//	%Error writing /etc/lisa/config.text: no space left on device
type WriteError struct {
	Path string // the file that was to be written
	Err  error  // what went wrong
}

func (e *WriteError) Error() string { return "%Error writing " + e.Path + ": " + Reason(e.Err) }

func (e *WriteError) Unwrap() error { return e.Err }

// Reason returns the bare cause of a file-system error, without the
// operation and path that os wraps around it ("no space left on device"
// rather than "write /etc/lisa/.config.text.tmp-123: no space left on
// device"), so that messages name the file the user knows about once.
func Reason(err error) string {
	for {
		var pe *fs.PathError
		var le *os.LinkError
		var se *os.SyscallError
		switch {
		case errors.As(err, &pe):
			err = pe.Err
		case errors.As(err, &le):
			err = le.Err
		case errors.As(err, &se):
			err = se.Err
		default:
			if err == nil {
				return "unknown error"
			}
			return err.Error()
		}
	}
}

// WriteFileAtomic replaces the file at path with data so that, whatever
// happens (a full disk, a read-only file system, a crash, a power cut), the
// file holds either its old contents or the new ones, never a mix or nothing:
// it writes a temporary file in the same directory, syncs it, renames it over
// path and syncs the directory so the rename itself is durable. On failure
// the temporary file is removed and the error is a *WriteError for path.
// The directory must exist.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	if err := writeFileAtomic(path, data, perm); err != nil {
		return &WriteError{Path: path, Err: err}
	}
	return nil
}

// tempPattern names the temporary files of WriteFileAtomic: hidden, so that
// a listing of VM records never shows them, and recognisable, so that
// RemoveStaleTemp can clear what a crash left behind.
const tempInfix = ".tmp-"

func writeFileAtomic(path string, data []byte, perm os.FileMode) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+tempInfix+"*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close() // a second Close after success is harmless
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Chmod(perm); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes a directory's entries (a rename, a removal) durable.
// File systems that cannot sync a directory say EINVAL; there is nothing
// more to do on those.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}

// removeDurably removes a file and syncs its directory. A file that is
// already gone is not an error.
func removeDurably(path string) error {
	if err := os.Remove(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	return syncDir(filepath.Dir(path))
}
