package cdp

import (
	"bytes"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

// readHex reads a testdata/*.hex file (hex digits, any whitespace).
func readHex(t *testing.T, path string) []byte {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := hex.DecodeString(strings.Join(strings.Fields(string(text)), ""))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return b
}

// The frames the agent builds, byte for byte against frames scapy built independently
// (testdata/gen-agent-golden.py), fixed clock, hostname and ports.
func TestAgentFramesGolden(t *testing.T) {
	mac2 := [6]byte{0x02, 0, 0, 0, 0, 2}
	for _, tc := range []struct {
		golden string
		run    func(a *Agent, snd *fakeSender) []byte
	}{
		{"agent-v2-trunk", func(a *Agent, snd *fakeSender) []byte {
			a.AddPort("eth0", mac1)
			a.SetPortVLAN("eth0", true, 10)
			a.SetPortUp("eth0", true)
			return snd.take()[0].frame
		}},
		{"agent-v1-access", func(a *Agent, snd *fakeSender) []byte {
			a.SetAdvertiseV2(false)
			a.AddPort("vif1.0", mac2)
			a.SetPortDuplex("vif1.0", DuplexHalf)
			a.SetPortUp("vif1.0", true)
			return snd.take()[0].frame
		}},
		{"agent-v2-goodbye", func(a *Agent, snd *fakeSender) []byte {
			a.AddPort("vif1.0", mac2)
			a.SetPortDuplex("vif1.0", DuplexHalf)
			a.SetPortUp("vif1.0", true)
			snd.take()
			a.SetPortUp("vif1.0", false)
			return snd.take()[0].frame
		}},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			a, _, snd := newTestAgent(t, Options{})
			got := tc.run(a, snd)
			want := readHex(t, "testdata/"+tc.golden+".hex")
			if !bytes.Equal(got, want) {
				t.Errorf("agent built\n%x\nscapy built\n%x", got, want)
			}
		})
	}
}
