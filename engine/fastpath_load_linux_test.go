//go:build linux

package engine

import (
	"log/slog"
	"os"
	"testing"
)

// The verifier accepts both programs on this kernel, or the test says why not.
func TestKernelFastPathLoads(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("loading BPF programs needs root")
	}
	k, err := newKernelFastPath(slog.New(slog.DiscardHandler), 64)
	if err != nil {
		t.Fatalf("kernel fast path: %v", err)
	}
	defer k.Close()
	k.ResetCounters(3)
	if c := k.Counters(3); c != (FastCounters{}) {
		t.Fatalf("fresh counters %+v", c)
	}
}
