package clockzone

import "testing"

// Reading the kernel's clock state works anywhere and changes nothing.
func TestKernelSyncReads(t *testing.T) {
	st, err := KernelSync()
	if err != nil {
		t.Fatal(err)
	}
	if st.Maximum < 0 || st.Estimated < 0 {
		t.Errorf("negative error bounds: %+v", st)
	}
	t.Logf("host clock: %+v", st)
}
