//go:build linux

package engine

import (
	"errors"
	"log/slog"
	"os"
	"testing"

	"github.com/cilium/ebpf"
)

// The verifier accepts both programs on this kernel, or the test says why not.
func TestKernelFastPathLoads(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("loading BPF programs needs root")
	}
	k, err := newKernelFastPath(slog.New(slog.DiscardHandler), 64)
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
}
