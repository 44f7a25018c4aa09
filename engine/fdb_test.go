package engine

import (
	"math/rand/v2"
	"testing"
	"time"
)

func mac(i uint64) MAC { return macFromUint64(0x020000000000 | i) }

func TestFDBLearnLookupMove(t *testing.T) {
	f := newFDB(100, time.Unix(0, 0))
	k := fdbKey(mac(1), 10)
	if _, ok := f.lookup(k); ok {
		t.Fatal("empty table found something")
	}
	f.learn(k, 3, 0)
	if p, ok := f.lookup(k); !ok || p != 3 {
		t.Fatalf("lookup = %d %v", p, ok)
	}
	if _, ok := f.lookup(fdbKey(mac(1), 11)); ok {
		t.Fatal("VLAN must be part of the key")
	}
	f.learn(k, 4, 1) // station move
	if p, _ := f.lookup(k); p != 4 {
		t.Fatalf("after move port = %d", p)
	}
	if f.lists[3].dynamic != 0 || f.lists[4].dynamic != 1 {
		t.Fatalf("per-port counts %d %d", f.lists[3].dynamic, f.lists[4].dynamic)
	}
	if keyMAC(k) != mac(1) || keyVLAN(k) != 10 {
		t.Fatal("key round trip")
	}
}

func TestFDBStaticNotMoved(t *testing.T) {
	f := newFDB(100, time.Unix(0, 0))
	k := fdbKey(mac(1), 1)
	f.learn(k, 1, 0)
	if err := f.addStatic(k, 2, 0); err != nil { // converts the dynamic entry
		t.Fatal(err)
	}
	f.learn(k, 5, 100)
	if p, _ := f.lookup(k); p != 2 {
		t.Fatalf("static moved to %d", p)
	}
	if n := f.age(time.Unix(1e6, 0)); n != 0 {
		t.Fatalf("static aged")
	}
	if c, s, _ := f.stats(); c != 1 || s != 1 {
		t.Fatalf("count %d statics %d", c, s)
	}
	if !f.removeStatic(k) || f.removeStatic(k) {
		t.Fatal("removeStatic")
	}
}

func TestFDBAging(t *testing.T) {
	epoch := time.Unix(1000, 0)
	f := newFDB(100, epoch)
	f.setAging(10 * time.Second)
	k := fdbKey(mac(1), 1)
	f.learn(k, 1, f.stamp(epoch))
	if n := f.age(epoch.Add(9 * time.Second)); n != 0 {
		t.Fatal("aged too early")
	}
	f.learn(k, 1, f.stamp(epoch.Add(5*time.Second))) // refresh
	if n := f.age(epoch.Add(14 * time.Second)); n != 0 {
		t.Fatal("refresh ignored")
	}
	if n := f.age(epoch.Add(15 * time.Second)); n != 1 {
		t.Fatalf("aged %d, want 1", n)
	}
	f.setAging(0)
	f.learn(k, 1, 0)
	if n := f.age(epoch.Add(1e6 * time.Second)); n != 0 {
		t.Fatal("aging time 0 must mean never")
	}
}

// TestFDBFairEviction is Open vSwitch's "MAC table overflow fairness": a
// flood of random sources on one port must not push out stations on others.
func TestFDBFairEviction(t *testing.T) {
	const max = 1000
	f := newFDB(max, time.Unix(0, 0))
	var victims []uint64
	for p := 1; p <= 4; p++ {
		for i := 0; i < 50; i++ {
			k := fdbKey(mac(uint64(p<<16|i)), 1)
			victims = append(victims, k)
			f.learn(k, p, 1)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 100000; i++ {
		f.learn(fdbKey(mac(r.Uint64()&0xffffffffff|1<<41), uint16(1+i%10)), 0, uint64(2+i/1000))
	}
	count, _, evicted := f.stats()
	if count > max {
		t.Fatalf("table holds %d > %d", count, max)
	}
	if evicted == 0 {
		t.Fatal("nothing evicted")
	}
	for _, k := range victims {
		if _, ok := f.lookup(k); !ok {
			t.Fatalf("station %s on a quiet port was evicted", keyMAC(k))
		}
	}
	if f.lists[0].dynamic != max-len(victims) {
		t.Fatalf("flooding port holds %d", f.lists[0].dynamic)
	}
	// The recency lists stay consistent with the table.
	n := 0
	for p := range f.lists {
		for i := f.lists[p].head; i >= 0; i = f.meta[i].next {
			if valPort(f.vals[i].Load()) != p {
				t.Fatalf("slot %d on list of port %d belongs to %d", i, p, valPort(f.vals[i].Load()))
			}
			n++
		}
	}
	if n != count {
		t.Fatalf("lists hold %d, table %d", n, count)
	}
}

// TestFDBEvictsLRU checks the second-chance order inside the biggest port.
func TestFDBEvictsLRU(t *testing.T) {
	f := newFDB(4, time.Unix(0, 0))
	for i := uint64(1); i <= 4; i++ {
		f.learn(fdbKey(mac(i), 1), 1, 100*i)
	}
	// mac(1) is seen again: mac(2) is now the least recently used.
	f.learn(fdbKey(mac(1), 1), 1, 1000)
	f.learn(fdbKey(mac(5), 1), 1, 1001)
	if _, ok := f.lookup(fdbKey(mac(2), 1)); ok {
		t.Fatal("LRU entry survived")
	}
	if _, ok := f.lookup(fdbKey(mac(1), 1)); !ok {
		t.Fatal("recently used entry evicted")
	}
}

func TestFDBAllStaticFull(t *testing.T) {
	f := newFDB(2, time.Unix(0, 0))
	if err := f.addStatic(fdbKey(mac(1), 1), 0, 0); err != nil {
		t.Fatal(err)
	}
	if err := f.addStatic(fdbKey(mac(2), 1), 0, 0); err != nil {
		t.Fatal(err)
	}
	if err := f.addStatic(fdbKey(mac(3), 1), 0, 0); err != ErrTableFull {
		t.Fatalf("err = %v", err)
	}
	f.learn(fdbKey(mac(4), 1), 1, 0)
	if _, ok := f.lookup(fdbKey(mac(4), 1)); ok {
		t.Fatal("learned into a table full of statics")
	}
}
