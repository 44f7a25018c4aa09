package switchd

import (
	"strings"
	"testing"
	"time"

	"github.com/lisa-go/lisa/cdp"
)

// sentCDP waits for a CDP frame the switch transmitted on a fake link.
func (r *rig) sentCDP(link string) *cdp.Frame {
	r.t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case s := <-r.host.Sent(link):
			if p, err := cdp.DecodeFrame(s.Frame); err == nil {
				return p
			}
		case <-deadline:
			r.t.Fatalf("no CDP frame sent on %s", link)
			return nil
		}
	}
}

func TestCDPAnnouncesAndListsNeighbours(t *testing.T) {
	r := newRig(t, "eth0", "vif1.0")
	r.configure("hostname Edge", "interface eth0", "switchport mode trunk", "switchport trunk native vlan 7",
		"interface vlan 7", "ip address 192.0.2.1 255.255.255.0", "ipv6 address 2001:db8:7::1/64")
	// Changes ride the next advertisement: move the clock a timer period.
	r.clock.Advance(61 * time.Second)
	r.sw.cdp.Tick()
	p := r.sentCDP("eth0")
	for p.DeviceID != "Edge" || len(p.Addresses) < 2 {
		p = r.sentCDP("eth0") // the first frame predates the addresses
	}
	if p.PortID != "eth0" || p.NativeVLAN != 7 || p.Version != 2 || p.Holdtime != 180 || p.Addresses[0].String() != "192.0.2.1" ||
		p.Addresses[1].String() != "2001:db8:7::1" {
		t.Errorf("advertisement: %+v", p)
	}

	// A neighbour's frame punted by the engine shows up in show cdp neighbors.
	peer := cdp.NewAgent(cdp.Options{Sender: injector{r}})
	peer.SetSystem(cdp.System{Hostname: "core-1", Platform: "WS-C3750"})
	peer.AddPort("Gi1/0/1", [6]byte{0x02, 0xaa, 0, 0, 0, 1})
	peer.SetPortUp("Gi1/0/1", true)
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(r.run("show cdp neighbors"), "core-1") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	out := r.run("show cdp neighbors", "show cdp entry core-1 protocol", "show cdp traffic | include Input")
	for _, want := range []string{"core-1           eth0", "WS-C3750", "Gi1/0/1", "Protocol information for core-1 :", "Input: 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}

	// no cdp run: off everywhere, shows say so, and settings stay in the config.
	r.configure("cdp timer 30", "cdp holdtime 90", "no cdp advertise-v2", "no cdp run")
	got := r.run("show cdp neighbors", "show cdp run")
	expectScreen(t, got, "Edge#show cdp neighbors\n% CDP is not enabled\nEdge#show cdp run\nCDP is disabled\n")
	body := r.runningBody()
	if !strings.Contains(body, "cdp timer 30\ncdp holdtime 90\nno cdp advertise-v2\nno cdp run\n") {
		t.Errorf("CDP lines (timer and holdtime must precede no cdp run):\n%s", body)
	}
}

// injector hands a peer agent's frames to the switch as if received on eth0.
type injector struct{ r *rig }

func (i injector) Send(_ string, frame []byte) error { return i.r.host.Inject("eth0", frame) }

func TestCDPConfigSurvivesReload(t *testing.T) {
	r := newRig(t, "eth0")
	r.configure("cdp timer 20", "cdp holdtime 60", "no cdp run", "interface eth0", "no cdp enable")
	before := r.runningBody()
	r.console().Transcript([]string{"write memory", "reload"}, "")
	if got := r.runningBody(); got != before {
		t.Fatalf("after reload:\n%s\nwant:\n%s", got, before)
	}
	if s := r.sw.cdp.Settings(); s.Run || s.Timer != 20 || s.Holdtime != 60 {
		t.Errorf("agent settings after reload: %+v", s)
	}
}

func TestShutdownSendsGoodbye(t *testing.T) {
	r := newRig(t, "eth0")
	r.configure("interface eth0")
	r.sentCDP("eth0")
	r.configure("interface eth0", "shutdown")
	for {
		if p := r.sentCDP("eth0"); p.Holdtime == 0 {
			break
		}
	}
}

func TestVTPDomainAnnounced(t *testing.T) {
	r := newRig(t, "eth0")
	r.configure("vtp domain LAB", "interface eth0")
	r.clock.Advance(61 * time.Second)
	r.sw.cdp.Tick()
	for {
		if p := r.sentCDP("eth0"); p.HasVTPDomain {
			if p.VTPDomain != "LAB" {
				t.Fatalf("VTP domain %q", p.VTPDomain)
			}
			break
		}
	}
	if !strings.Contains(r.runningBody(), "vtp domain LAB\n") {
		t.Errorf("running-config:\n%s", r.runningBody())
	}
}
