package switchd

import (
	"strings"
	"testing"
)

func (r *rig) linkMTU(name string) int {
	r.t.Helper()
	li, err := r.host.Link(name)
	if err != nil {
		r.t.Fatal(err)
	}
	return li.MTU
}

func TestMTUOnTheNetdevs(t *testing.T) {
	r := newRig(t, "eth0", "vif1.0", "vif2.0")
	r.configure("interface eth0", "interface vif1.0", "interface vif2.0", "mtu 1450")
	if m := r.linkMTU("vif2.0"); m != 1450 {
		t.Errorf("vif2.0 MTU %d after mtu 1450", m)
	}
	if m := r.linkMTU("eth0"); m != 1500 {
		t.Errorf("eth0 MTU %d, want the netdev's own 1500", m)
	}

	// system mtu jumbo: every port without its own mtu, at once.
	r.configure("system mtu jumbo 9000", "system mtu routing 1500", "interface vlan 10")
	for name, want := range map[string]int{"eth0": 9000, "vif1.0": 9000, "vif2.0": 1450} {
		if m := r.linkMTU(name); m != want {
			t.Errorf("%s MTU %d, want %d", name, m, want)
		}
	}
	body := r.runningBody()
	for _, want := range []string{"system mtu jumbo 9000\nsystem mtu routing 1500\n!\n", "interface vif2.0\n mtu 1450\n!"} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %q:\n%s", want, body)
		}
	}
	if out := r.run("show system mtu"); !strings.Contains(out, "System MTU size is 1500 bytes\nSystem Jumbo MTU size is 9000 bytes\nRouting MTU size is 1500 bytes\n") {
		t.Errorf("show system mtu:\n%s", out)
	}

	// A netdev that refuses an MTU keeps its configuration and says why.
	r.host.LimitMTU("vif1.0", 4000)
	out := r.run("conf t", "interface vif1.0", "mtu 9216")
	if !strings.Contains(out, "% interface vif1.0 refuses MTU 9216") {
		t.Errorf("refused MTU:\n%s", out)
	}
	if body := r.runningBody(); strings.Contains(body, "mtu 9216") {
		t.Errorf("a refused mtu is in the configuration:\n%s", body)
	}

	// Saved and reloaded: the same configuration and MTUs.
	r.run("write memory")
	body = r.runningBody()
	r.sw.Close() // as lisad stops: the netdevs get their own MTUs back
	for name, want := range map[string]int{"eth0": 1500, "vif2.0": 1500} {
		if m := r.linkMTU(name); m != want {
			t.Errorf("%s MTU %d after lisad stopped, want %d", name, m, want)
		}
	}
	r.eng.Close()
	r2 := newRigOn(t, r.host, r.store, "")
	if errs := r2.sw.LoadStartup(); len(errs) > 0 {
		t.Fatalf("startup errors: %+v", errs)
	}
	if after := r2.runningBody(); after != body {
		t.Errorf("reloaded running-config differs:\n%s", firstDiff(after, body))
	}
	if m := r2.linkMTU("eth0"); m != 9000 {
		t.Errorf("eth0 MTU %d after reload", m)
	}

	// The port's own MTU and the global ones go: the netdev's comes back.
	r2.configure("no system mtu jumbo", "interface vif2.0", "no mtu")
	for _, name := range []string{"eth0", "vif2.0"} {
		if m := r2.linkMTU(name); m != 1500 {
			t.Errorf("%s MTU %d after the no forms, want 1500", name, m)
		}
	}
}
