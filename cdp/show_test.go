package cdp

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/show/*.txt from the current output")

// showAgent is an agent with three ports and three neighbours: the Cisco-like capture, a
// plain switch, and one whose Device ID tries terminal escapes and format verbs.
func showAgent(t *testing.T) *Agent {
	a, clk, _ := newTestAgent(t, Options{})
	for _, p := range []string{"eth0", "vif12.0", "eth9"} {
		a.AddPort(p, mac1)
	}
	a.SetPortUp("eth0", true)
	a.SetPortUp("vif12.0", true)
	a.Receive("eth0", readPcap(t, "testdata/cisco-like.pcap")[0])
	a.Receive("vif12.0", peerFrame(2, "SW2", 180))
	a.Receive("vif12.0", peerFrame(1, "evil\x1b[2J\x1b]0;owned\x07%s%n\x9b\xc2\x9b", 100))
	clk.Advance(13 * time.Second)
	return a
}

func TestShowGolden(t *testing.T) {
	s := showAgent(t).Snapshot()
	for name, out := range map[string]string{
		"cdp":                   ShowCDP(s),
		"holdtime":              ShowHoldtime(s),
		"timer":                 ShowTimer(s),
		"run":                   ShowRun(s),
		"traffic":               ShowTraffic(s),
		"interface":             ShowInterfaces(s, ""),
		"interface-eth0":        ShowInterfaces(s, "eth0"),
		"neighbors":             ShowNeighbors(s, "", false),
		"neighbors-vif12.0":     ShowNeighbors(s, "vif12.0", false),
		"neighbors-detail":      ShowNeighbors(s, "", true),
		"neighbors-eth0-detail": ShowNeighbors(s, "eth0", true),
		"entry-SW2":             ShowEntry(s, "SW2", EntryAll),
		"entry-star-protocol":   ShowEntry(s, "*", EntryProtocol),
		"entry-SW-star-version": ShowEntry(s, "SW*", EntryVersion),
		"entry-SW-nothing":      ShowEntry(s, "SW", EntryAll),
	} {
		path := filepath.Join("testdata", "show", name+".txt")
		if *update {
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if out != string(want) {
			t.Errorf("show %s:\n%s\nwant:\n%s", name, out, want)
		}
	}
}

// No byte a neighbour sends can reach the terminal as a control character.
func TestShowNoControlCharacters(t *testing.T) {
	s := showAgent(t).Snapshot()
	for _, out := range []string{ShowNeighbors(s, "", false), ShowNeighbors(s, "", true),
		ShowEntry(s, "*", EntryVersion), ShowEntry(s, "*", EntryProtocol)} {
		for i := 0; i < len(out); i++ {
			if c := out[i]; (c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f {
				t.Fatalf("byte 0x%02x at %d in:\n%q", c, i, out)
			}
		}
		if strings.Contains(out, "%!") {
			t.Errorf("a wire string was used as a format:\n%s", out)
		}
	}
}

func TestShowWhenDisabled(t *testing.T) {
	a := showAgent(t)
	a.SetRun(false)
	s := a.Snapshot()
	for name, out := range map[string]string{
		"cdp": ShowCDP(s), "holdtime": ShowHoldtime(s), "timer": ShowTimer(s), "traffic": ShowTraffic(s),
		"interface": ShowInterfaces(s, ""), "neighbors": ShowNeighbors(s, "", false),
		"detail": ShowNeighbors(s, "", true), "entry": ShowEntry(s, "*", EntryAll),
	} {
		if out != "% CDP is not enabled\n" {
			t.Errorf("show cdp %s while off: %q", name, out)
		}
	}
	if out := ShowRun(s); out != "CDP is disabled\n" {
		t.Errorf("show cdp run: %q", out)
	}
	a.SetAdvertiseV2(false)
	a.SetRun(true)
	if out := ShowCDP(a.Snapshot()); !strings.Contains(out, "\tSending CDPv2 advertisements is not enabled\n") {
		t.Errorf("show cdp with v1: %q", out)
	}
}

func TestMatchName(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"SW2", "SW2", true}, {"SW", "SW2", false}, {"sw2", "SW2", false},
		{"*", "anything", true}, {"*", "", true}, {"SW*", "SW2", true}, {"SW*", "XSW2", false},
		{"*.example.net", "SW-CORE-1.example.net", true}, {"S*1*net", "SW-CORE-1.example.net", true},
		{"S*x*1", "SW-CORE-1.example.net", false}, {"a*a", "a", false}, {"a**b", "ab", true},
	} {
		if got := matchName(tc.pattern, tc.name); got != tc.want {
			t.Errorf("matchName(%q, %q) = %v", tc.pattern, tc.name, got)
		}
	}
}

func TestPrintable(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"SW1", "SW1"}, {"\x1b[31mred", "?[31mred"}, {"a\x00b\x7fc", "a?b?c"},
		{"caf\xc3\xa9", "caf??"}, {"\x9b2J", "?2J"}, {"tab\there", "tab?here"},
		{strings.Repeat("x", 300), strings.Repeat("x", 255)},
	} {
		if got := Printable(tc.in, 255); got != tc.want {
			t.Errorf("Printable(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := printableLines("a\r\nb\x1bc\n", 100); got != "a\nb?c\n" {
		t.Errorf("printableLines: %q", got)
	}
}
