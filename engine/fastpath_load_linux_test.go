//go:build linux

package engine

import (
	"errors"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// The verifier accepts both programs on this kernel, or the test says why not.
func TestKernelFastPathLoads(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("loading BPF programs needs root")
	}
	k, err := newKernelFastPath(slog.New(slog.DiscardHandler), 64, 8192)
	var ve *ebpf.VerifierError
	switch {
	case errors.As(err, &ve):
		t.Fatalf("the verifier refuses a program: %+v", ve) // our bug, wherever it runs
	case err != nil:
		t.Skipf("no BPF here: %v", err) // no maps or no program loading at all
	}
	defer k.Close()
	k.ResetCounters(3)
	if c := k.Counters(3); c != (FastCounters{}) {
		t.Fatalf("fresh counters %+v", c)
	}

	// Seen reads the stamps the program writes, across batch boundaries.
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	const n = 5000
	for i := range n {
		m := MAC{0x02, 0, 0, 0, byte(i >> 8), byte(i)}
		if err := k.SetEntry(m, 10, FastEntry{Ifindex: 7, Slot: 1}); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 { // as the program would: seen 3 s ago
			v := fpEntryVal{Ifindex: 7, Slot: 1, Seen: uint64(ts.Nano()) - uint64(3*time.Second)}
			if err := k.fdb.Put(fpKey(m, 10), v); err != nil {
				t.Fatal(err)
			}
		}
	}
	got := 0
	err = k.Seen(func(m MAC, vlan uint16, ago time.Duration) {
		got++
		if vlan != 10 || m[5]%2 != 0 || ago < 3*time.Second || ago > time.Minute {
			t.Errorf("seen %s vlan %d %v ago", m, vlan, ago)
		}
	})
	if err != nil || got != n/2 {
		t.Fatalf("Seen reported %d stations (want %d), err %v", got, n/2, err)
	}
	if err := k.DeleteEntry(MAC{0x02, 0, 0, 0, 0, 0}, 10); err != nil {
		t.Fatal(err)
	}
	if err := k.DeleteEntry(MAC{0x02, 0, 0, 0, 0, 0}, 10); err != nil {
		t.Fatalf("deleting a station twice: %v", err)
	}
}
