package nstest

import (
	"os"
	"strings"
	"testing"

	"github.com/vishvananda/netns"
)

func TestNamespacesAndVeth(t *testing.T) {
	a, b := New(t, "a"), New(t, "b")
	if !strings.HasPrefix(a.Name, Prefix) || a.Name == b.Name {
		t.Fatalf("names %q %q", a.Name, b.Name)
	}
	Veth(t, a, "eth0", b, "eth1")
	a.MustRun(t, "ip", "addr", "add", "10.99.250.1/24", "dev", "eth0")
	b.MustRun(t, "ip", "addr", "add", "10.99.250.2/24", "dev", "eth1")
	a.MustRun(t, "ping", "-c1", "-W2", "10.99.250.2")

	// Do really switches namespace, and switches back.
	before, _ := netns.Get()
	defer before.Close()
	err := a.Do(func() error {
		cur, err := netns.Get()
		if err != nil {
			return err
		}
		defer cur.Close()
		if cur.Equal(before) {
			t.Error("Do did not enter the namespace")
		}
		_, err = os.Stat("/proc/self/net/dev")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	after, _ := netns.Get()
	defer after.Close()
	if !after.Equal(before) {
		t.Fatal("Do did not restore the namespace")
	}
	c, buf := b.Start(t, "sleep", "30")
	Stop(c)
	_ = buf.String()
}

func TestCleanupRemovesNamespace(t *testing.T) {
	RequireRoot(t)
	var name string
	t.Run("inner", func(t *testing.T) {
		n := New(t, "gone")
		name = n.Name
		n.Start(t, "sleep", "60")
	})
	if _, err := os.Stat("/run/netns/" + name); !os.IsNotExist(err) {
		t.Fatalf("namespace %s left behind: %v", name, err)
	}
}
