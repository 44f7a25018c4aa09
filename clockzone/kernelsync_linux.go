package clockzone

import (
	"time"

	"golang.org/x/sys/unix"
)

// Sync is what the kernel says of the host clock's discipline (adjtimex):
// whether an NTP client keeps it synchronized, and its error bounds.
type Sync struct {
	Synchronized       bool
	Estimated, Maximum time.Duration
}

// KernelSync reads the host clock's state without changing it.
func KernelSync() (Sync, error) {
	var tx unix.Timex // Modes 0: read only
	state, err := unix.Adjtimex(&tx)
	if err != nil {
		return Sync{}, err
	}
	return Sync{
		Synchronized: state != unix.TIME_ERROR && tx.Status&unix.STA_UNSYNC == 0,
		Estimated:    time.Duration(tx.Esterror) * time.Microsecond,
		Maximum:      time.Duration(tx.Maxerror) * time.Microsecond,
	}, nil
}
