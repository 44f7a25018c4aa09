package cdp

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// HostSoftwareVersion returns the Software Version lisad announces: the product, its version
// and the running kernel, e.g.
// "LiSA-Go Software, Version 0.1.0, Linux 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian".
func HostSoftwareVersion(product, version string) string {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return fmt.Sprintf("%s Software, Version %s", product, version)
	}
	return fmt.Sprintf("%s Software, Version %s, Linux %s %s",
		product, version, unix.ByteSliceToString(u.Release[:]), unix.ByteSliceToString(u.Version[:]))
}

// HostPlatform returns the Platform lisad announces: the product and the machine, e.g.
// "LiSA-Go x86_64".
func HostPlatform(product string) string {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return product
	}
	return product + " " + unix.ByteSliceToString(u.Machine[:])
}
