//go:build linux

package engine

import "golang.org/x/sys/unix"

// allocSlab returns n bytes of anonymous memory outside the Go heap: the
// kernel hands out a page only when it is first written, so a port's receive
// buffers (sized for 64 KiB GSO frames) cost resident memory only for what
// its traffic actually used, the garbage collector never scans or zeroes
// them, and huge pages are refused so one small frame does not make 2 MiB
// resident. free returns it; it must not be used afterwards.
func allocSlab(n int) (b []byte, free func()) {
	b, err := unix.Mmap(-1, 0, n, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		b = make([]byte, n)
		return b, func() {}
	}
	_ = unix.Madvise(b, unix.MADV_NOHUGEPAGE)
	return b, func() { _ = unix.Munmap(b) }
}
