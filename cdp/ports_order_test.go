package cdp

import (
	"slices"
	"testing"
)

func TestPortsInReadingOrder(t *testing.T) {
	names := []string{"vif10.0", "vif2.0", "eth10", "eth2", "vif2.10", "vif2.9"}
	slices.SortFunc(names, compareIfNames)
	want := []string{"eth2", "eth10", "vif2.0", "vif2.9", "vif2.10", "vif10.0"}
	if !slices.Equal(names, want) {
		t.Errorf("got %v want %v", names, want)
	}
}
