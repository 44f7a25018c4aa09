package engine_test

import (
	"testing"

	"github.com/lisa-go/lisa/engine"
)

// Frames the kernel dropped because a port's socket queue was full are
// counted as rx-queue-full input drops when the counters are read, once.
func TestKernelDropsCounted(t *testing.T) {
	r := newRig(t, engine.Config{}, "p1", "p2")
	r.h.DropInKernel("p1", 7)
	c, err := r.e.Counters("p1")
	if err != nil {
		t.Fatal(err)
	}
	if c.Drops[engine.DropRxQueueFull] != 7 || c.InDrops() != 7 || c.OutDrops() != 0 {
		t.Errorf("after 7 kernel drops: rx-queue-full %d, in %d, out %d", c.Drops[engine.DropRxQueueFull], c.InDrops(), c.OutDrops())
	}
	r.h.DropInKernel("p1", 2)
	if c, _ := r.e.Counters("p1"); c.Drops[engine.DropRxQueueFull] != 9 {
		t.Errorf("after 2 more: rx-queue-full %d, want 9", c.Drops[engine.DropRxQueueFull])
	}
	if c, _ := r.e.Counters("p2"); c.Drops[engine.DropRxQueueFull] != 0 {
		t.Errorf("p2 got p1's drops: %d", c.Drops[engine.DropRxQueueFull])
	}
}
