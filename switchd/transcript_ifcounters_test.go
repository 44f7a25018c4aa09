package switchd

import (
	"strings"
	"testing"
	"time"

	"github.com/lisa-go/lisa/cli"
	"github.com/lisa-go/lisa/engine"
	"github.com/lisa-go/lisa/engine/enginetest"
)

// counterRig is a switch with vif1.0 and vif2.0 in VLAN 10 and eth0 a trunk
// (1,10) on the fake host, CDP off so that only the test's frames count.
func counterRig(t *testing.T) *rig {
	t.Helper()
	r := newRig(t, "vif1.0", "vif2.0", "eth0")
	r.configure("no cdp run", "vlan 10",
		"interface vif1.0", "switchport access vlan 10", "description first vm",
		"interface vif2.0", "switchport access vlan 10",
		"interface eth0", "switchport mode trunk", "switchport trunk allowed vlan 1,10")
	return r
}

// inject sends frames in on port and waits until the engine has taken
// them (received or dropped).
func (r *rig) inject(port string, frames ...[]byte) {
	r.t.Helper()
	before, _ := r.eng.Counters(port)
	for _, f := range frames {
		if err := r.host.Inject(port, f); err != nil {
			r.t.Fatal(err)
		}
	}
	waitFor(r.t, func() bool {
		c, _ := r.eng.Counters(port)
		return c.RxPackets+c.TotalDrops() >= before.RxPackets+before.TotalDrops()+uint64(len(frames))
	})
}

// bcastFrom is a 60-byte broadcast.
func bcastFrom(src engine.MAC) []byte {
	return enginetest.Frame{Dst: engine.Broadcast, Src: src}.Bytes()
}

var stA = engine.MAC{0x02, 0, 0, 0, 0, 0xa}

// A frame the egress port fails to send, or whose socket is full, is an
// output drop of the egress port, not an input drop.
func TestShowInterfacesDropsSplit(t *testing.T) {
	r := counterRig(t)
	r.inject("vif1.0", bcastFrom(engine.Broadcast)) // invalid source: input drop on vif1.0
	r.host.SetTxFail("vif2.0", true)
	r.inject("vif1.0", bcastFrom(stA))
	r.host.SetTxFail("vif2.0", false)
	r.host.SetTxQueueFull("vif2.0", true)
	r.inject("vif1.0", bcastFrom(stA))
	r.host.SetTxQueueFull("vif2.0", false)
	waitFor(t, func() bool { c, _ := r.eng.Counters("vif2.0"); return c.OutDrops() == 2 })
	expectScreen(t, r.run("show interfaces vif2.0", "show interfaces counters", "show interfaces vif1.0 | include drops"), `Switch#show interfaces vif2.0
vif2.0 is up, line protocol is up (connected)
  Hardware is Virtual Ethernet (veth), address is 0211.2233.4402 (bia 0211.2233.4402)
  MTU 1500 bytes, BW 0 Kbit/sec
  Encapsulation ARPA, loopback not set
  Unknown-duplex, unknown speed
  Switchport mode access, VLAN 10
  Last clearing of "show interface" counters never
  Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 2
  5 minute input rate 0 bits/sec, 0 packets/sec
  5 minute output rate 0 bits/sec, 0 packets/sec
     0 packets input, 0 bytes, 0 no buffer
     Received 0 broadcasts (0 multicasts), 0 unicasts
     0 runts, 0 giants, 0 throttles
     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored
     0 input drops, 0 punted to the control plane
     0 packets output, 0 bytes, 0 underruns
     Sent 0 broadcasts (0 multicasts), 0 unicasts
     0 output errors, 0 collisions, 0 interface resets
     2 output drops
       1 tx-error
       1 tx-queue-full
Switch#show interfaces counters

Port            InOctets    InUcastPkts    InMcastPkts    InBcastPkts
eth0                    0              0              0              0
vif1.0                180              0              0              3
vif2.0                  0              0              0              0

Port           OutOctets   OutUcastPkts   OutMcastPkts   OutBcastPkts
eth0                  128              0              0              2
vif1.0                  0              0              0              0
vif2.0                  0              0              0              0

Port              InDrops     OutDrops       Punted
eth0                    0            0            0
vif1.0                  1            0            0
vif2.0                  0            2            0
Switch#show interfaces vif1.0 | include drops
  Input queue: 0/75/1/0 (size/max/drops/flushes); Total output drops: 0
     1 input drops, 0 punted to the control plane
     0 output drops
`)
}

// The netdev's own statistics (what the kernel dropped or flagged below
// lisad) appear in IOS's places, and in "show interfaces counters errors".
func TestShowInterfacesLinkStats(t *testing.T) {
	r := counterRig(t)
	r.host.SetStats("vif1.0", engine.LinkStats{RxErrors: 5, RxDropped: 4, RxLengthErrors: 2, RxCRCErrors: 1, RxFrameErrors: 1, RxOverErrors: 1, RxMissed: 2,
		TxErrors: 3, TxDropped: 6, TxFIFOErrors: 1, Collisions: 7})
	r.inject("vif1.0", []byte{1, 2, 3}) // a runt that reached lisad
	expectScreen(t, r.run("show interfaces vif1.0", "show interfaces counters errors", "show interfaces vif1.0 counters"), `Switch#show interfaces vif1.0
vif1.0 is up, line protocol is up (connected)
  Hardware is Virtual Ethernet (veth), address is 0211.2233.4401 (bia 0211.2233.4401)
  Description: first vm
  MTU 1500 bytes, BW 0 Kbit/sec
  Encapsulation ARPA, loopback not set
  Unknown-duplex, unknown speed
  Switchport mode access, VLAN 10
  Last clearing of "show interface" counters never
  Input queue: 0/75/5/0 (size/max/drops/flushes); Total output drops: 6
  5 minute input rate 0 bits/sec, 0 packets/sec
  5 minute output rate 0 bits/sec, 0 packets/sec
     0 packets input, 0 bytes, 0 no buffer
     Received 0 broadcasts (0 multicasts), 0 unicasts
     1 runts, 0 giants, 0 throttles
     6 input errors, 1 CRC, 1 frame, 1 overrun, 2 ignored
     5 input drops, 0 punted to the control plane
       1 malformed
       4 netdev-rx-dropped
     0 packets output, 0 bytes, 1 underruns
     Sent 0 broadcasts (0 multicasts), 0 unicasts
     3 output errors, 7 collisions, 0 interface resets
     6 output drops
       6 netdev-tx-dropped
Switch#show interfaces counters errors

Port              Align-Err     FCS-Err    Xmit-Err     Rcv-Err  UnderSize  OutDiscards
eth0                      0           0           0           0          0            0
vif1.0                    1           1           3           5          1            6
vif2.0                    0           0           0           0          0            0
Switch#show interfaces vif1.0 counters

Port            InOctets    InUcastPkts    InMcastPkts    InBcastPkts
vif1.0                  0              0              0              0

Port           OutOctets   OutUcastPkts   OutMcastPkts   OutBcastPkts
vif1.0                  0              0              0              0

Port              InDrops     OutDrops       Punted
vif1.0                  5            6            0
`)
	// clear counters clears them too: the kernel's counts become the base.
	r.console().Transcript([]string{"clear counters vif1.0"}, "y")
	r.host.SetStats("vif1.0", engine.LinkStats{RxErrors: 5, RxDropped: 5, RxLengthErrors: 2, RxCRCErrors: 1, RxFrameErrors: 1, RxOverErrors: 1, RxMissed: 2,
		TxErrors: 3, TxDropped: 6, TxFIFOErrors: 1, Collisions: 7})
	expectScreen(t, r.run("show interfaces vif1.0 counters errors", "show interfaces vif1.0 | include errors|drops"), `Switch#show interfaces vif1.0 counters errors

Port              Align-Err     FCS-Err    Xmit-Err     Rcv-Err  UnderSize  OutDiscards
vif1.0                    0           0           0           0          0            0
Switch#show interfaces vif1.0 | include errors|drops
  Input queue: 0/75/1/0 (size/max/drops/flushes); Total output drops: 0
     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored
     1 input drops, 0 punted to the control plane
     0 output errors, 0 collisions, 0 interface resets
     0 output drops
`)
}

// IOS's forms of show interfaces: description, and per interface status,
// counters, trunk and switchport; a VLAN interface as IOS shows one.
func TestShowInterfacesForms(t *testing.T) {
	r := counterRig(t)
	r.configure("interface vlan 10", "ip address 10.0.10.1 255.255.255.0", "interface vif2.0", "shutdown",
		"vlan 30", "interface eth0", "switchport trunk native vlan 30")
	expectScreen(t, r.run("show interfaces description", "show interfaces vif1.0 description", "show interfaces vif1.0 status",
		"show interfaces eth0 trunk", "show interfaces vif1.0 trunk", "show interfaces vif1.0 switchport", "show interfaces vlan 10"), `Switch#show interfaces description
Interface                      Status         Protocol Description
eth0                           up             up
vif1.0                         up             up       first vm
vif2.0                         admin down     down
Vlan10                         up             up
Switch#show interfaces vif1.0 description
Interface                      Status         Protocol Description
vif1.0                         up             up       first vm
Switch#show interfaces vif1.0 status

Port      Name               Status       Vlan       Duplex  Speed Type
vif1.0    first vm           connected    10           auto   auto veth
Switch#show interfaces eth0 trunk

Port        Mode             Encapsulation  Status        Native vlan
eth0        on               802.1q         trunking      30

Port        Vlans allowed on trunk
eth0        1,10

Port        Vlans allowed and active in management domain
eth0        1,10
Switch#show interfaces vif1.0 trunk

Port        Mode             Encapsulation  Status        Native vlan
vif1.0      off              802.1q         not-trunking  1

Port        Vlans allowed on trunk
vif1.0      10

Port        Vlans allowed and active in management domain
vif1.0      10
Switch#show interfaces vif1.0 switchport
Name: vif1.0
Switchport: Enabled
Administrative Mode: static access
Operational Mode: static access
Administrative Trunking Encapsulation: dot1q
Operational Trunking Encapsulation: dot1q
Negotiation of Trunking: Off
Access Mode VLAN: 10 (VLAN0010)
Trunking Native Mode VLAN: 1 (default)
Administrative Native VLAN tagging: disabled
Voice VLAN: none
Trunking VLANs Enabled: ALL
Switch#show interfaces vlan 10
Vlan10 is up, line protocol is up
  Hardware is EtherSVI, address is 0200.4c69.534b (bia 0200.4c69.534b)
  Internet address is 10.0.10.1/24
  MTU 1500 bytes, BW 0 Kbit/sec
  Encapsulation ARPA, loopback not set
  Unknown-duplex, unknown speed
  Last clearing of "show interface" counters never
  Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 0
  5 minute input rate 0 bits/sec, 0 packets/sec
  5 minute output rate 0 bits/sec, 0 packets/sec
     0 packets input, 0 bytes, 0 no buffer
     Received 0 broadcasts (0 multicasts), 0 unicasts
     0 runts, 0 giants, 0 throttles
     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored
     0 input drops, 0 punted to the control plane
     0 packets output, 0 bytes, 0 underruns
     Sent 0 broadcasts (0 multicasts), 0 unicasts
     0 output errors, 0 collisions, 0 interface resets
     0 output drops
`)
	// "description" is a keyword, not an interface name.
	if out := r.run("show interfaces description"); strings.Contains(out, "is not on the switch") {
		t.Error(out)
	}
}

// An access port whose VLAN is not in the database is inactive; a trunk
// that is shut down is not an operational trunk and is not listed.
func TestShowInterfacesInactiveAndTrunks(t *testing.T) {
	r := counterRig(t)
	r.configure("no vlan 10", "interface vif2.0", "shutdown")
	expectScreen(t, r.run("show interfaces status"), `Switch#show interfaces status

Port      Name               Status       Vlan       Duplex  Speed Type
eth0                         connected    trunk        auto   auto veth
vif1.0    first vm           inactive     10           auto   auto veth
vif2.0                       disabled     10           auto   auto veth
`)
	r.configure("interface eth0", "shutdown")
	expectScreen(t, r.run("show interfaces trunk", "show interfaces eth0 trunk"), `Switch#show interfaces trunk
Switch#show interfaces eth0 trunk

Port        Mode             Encapsulation  Status        Native vlan
eth0        on               802.1q         not-trunking  1

Port        Vlans allowed on trunk
eth0        1,10

Port        Vlans allowed and active in management domain
eth0        1
`)
	r.configure("interface eth0", "no shutdown")
	if out := r.run("show interfaces trunk"); !strings.Contains(out, "eth0        on               802.1q         trunking      1") {
		t.Errorf("trunk back up:\n%s", out)
	}
}

// clear counters asks at a terminal, as IOS does, and the time since the
// last clear is shown.
func TestClearCountersConfirm(t *testing.T) {
	r := counterRig(t)
	r.inject("vif1.0", bcastFrom(stA))
	got := r.console().Transcript([]string{"show interfaces vif1.0 | include clearing|packets input", "clear counters vif1.0", "clear counters",
		"show interfaces vif1.0 | include clearing|packets input", "clear counters vif9.9"}, "n", "")
	expectScreen(t, got, `Switch#show interfaces vif1.0 | include clearing|packets input
  Last clearing of "show interface" counters never
     1 packets input, 60 bytes, 0 no buffer
Switch#clear counters vif1.0
Clear "show interface" counters on this interface [confirm]
Switch#clear counters
Clear "show interface" counters on all interfaces [confirm]
Switch#show interfaces vif1.0 | include clearing|packets input
  Last clearing of "show interface" counters 00:00:00
     0 packets input, 0 bytes, 0 no buffer
Switch#clear counters vif9.9
% Interface vif9.9 is not on the switch
`)
	r.clock.Advance(time.Hour + 2*time.Minute + 3*time.Second)
	if out := r.run("show interfaces eth0 | include clearing"); out != "Switch#show interfaces eth0 | include clearing\n  Last clearing of \"show interface\" counters 01:02:03\n" {
		t.Error(out)
	}
	// A script is not asked: its next line is a command, not an answer.
	r.inject("vif1.0", bcastFrom(stA))
	sess := cli.NewSession(r.sw.env, privMax)
	lines := []string{"clear counters", "show interfaces vif1.0 | include packets input"}
	var out strings.Builder
	sess.RunBatch(func() (string, bool) {
		if len(lines) == 0 {
			return "", false
		}
		l := lines[0]
		lines = lines[1:]
		return l, true
	}, &out)
	if strings.Contains(out.String(), "confirm") || !strings.Contains(out.String(), "     0 packets input, 0 bytes") {
		t.Errorf("batch clear counters:\n%s", out.String())
	}
}

func TestIfAge(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "00:00:00", 59 * time.Second: "00:00:59", 23*time.Hour + 59*time.Minute: "23:59:00",
		26 * time.Hour: "1d02h", 6*24*time.Hour + 23*time.Hour: "6d23h", 9 * 24 * time.Hour: "1w2d", -time.Second: "00:00:00",
	} {
		if got := ifAge(d); got != want {
			t.Errorf("ifAge(%v) = %q, want %q", d, got, want)
		}
	}
}

// The five-minute rates follow the traffic on the switch's clock.
func TestShowInterfacesRates(t *testing.T) {
	r := counterRig(t)
	r.run("show interfaces") // the first sample
	for range 100 {
		r.inject("vif1.0", bcastFrom(stA))
	}
	waitFor(t, func() bool { c, _ := r.eng.Counters("vif2.0"); return c.TxPackets == 100 })
	// 100 frames of 480 bits in 30 s: 1600 bits/s, of which an average
	// with a five-minute time constant takes 1-exp(-30/300) after 30 s.
	r.clock.Advance(30 * time.Second)
	expectScreen(t, r.run("show interfaces vif1.0 | include rate", "show interfaces vif2.0 | include rate"), `Switch#show interfaces vif1.0 | include rate
  5 minute input rate 152 bits/sec, 0 packets/sec
  5 minute output rate 0 bits/sec, 0 packets/sec
Switch#show interfaces vif2.0 | include rate
  5 minute input rate 0 bits/sec, 0 packets/sec
  5 minute output rate 152 bits/sec, 0 packets/sec
`)
	// Five idle minutes later, down by a factor e (152.3/e = 56).
	r.clock.Advance(5 * time.Minute)
	if out := r.run("show interfaces vif1.0 | include input rate"); !strings.Contains(out, "input rate 56 bits/sec") {
		t.Error(out)
	}
}
