package cdp

import (
	"cmp"
	"slices"
	"time"
)

// Neighbor is one entry of the neighbour table: what a device announced on one of our ports.
// Its identity is (LocalPort, DeviceID).
type Neighbor struct {
	LocalPort string // our port it was heard on
	SourceMAC [6]byte
	LastHeard time.Time
	Expires   time.Time // LastHeard + the holdtime it announced
	// Packet is its last advertisement, with strings capped (see storedCopy) and no Unknown.
	Packet
}

// Remaining is the holdtime left at now in whole seconds (what `show cdp neighbors` prints
// under "Holdtme"), never negative.
func (n *Neighbor) Remaining(now time.Time) int {
	if d := n.Expires.Sub(now); d > 0 {
		return int(d / time.Second)
	}
	return 0
}

// Neighbour table bounds. A neighbour costs at most a few KiB (capped strings, at most
// MaxAddresses addresses twice, maxStoredPowerValues values twice), so the default table
// stays within a few MiB whatever is thrown at it.
const (
	DefaultMaxNeighborsPerPort = 32
	DefaultMaxNeighbors        = 1024

	maxStoredString      = 255  // Device ID, Port ID, Platform, VTP domain, System Name
	maxStoredVersion     = 1024 // Software Version (real IOS banners run to ~300 bytes)
	maxStoredHello       = 64   // Protocol Hello payload bytes (Cisco's is 27)
	maxStoredPowerValues = 8
)

type neighborKey struct{ port, deviceID string }

// neighborTable holds neighbours with two bounds: per port and in total.
//
// When a port already has maxPerPort neighbours, a new one from that port is refused (and
// counted as "No memory"): the entries already there are not pushed out, so a flood on one
// port cannot evict real neighbours, and the flood's own entries leave at their holdtime.
// When the whole table is full, the new neighbour takes the place of the soonest-expiring
// entry of the port that holds the most neighbours, if that port holds more than the new
// neighbour's port; otherwise it is refused. So floods on a few ports cannot starve the others
// (the fairness rule Open vSwitch applies to its MAC table).
type neighborTable struct {
	maxPerPort, maxTotal int
	entries              map[neighborKey]*Neighbor
	perPort              map[string]int
}

func newNeighborTable(maxPerPort, maxTotal int) *neighborTable {
	return &neighborTable{
		maxPerPort: maxPerPort, maxTotal: maxTotal,
		entries: make(map[neighborKey]*Neighbor),
		perPort: make(map[string]int),
	}
}

type upsertResult int

const (
	neighborRefreshed upsertResult = iota
	neighborAdded
	neighborRefused // table or port full
)

// upsert stores n (which the table then owns). It returns what happened and the neighbour
// evicted to make room, if any.
func (t *neighborTable) upsert(n *Neighbor) (upsertResult, *Neighbor) {
	k := neighborKey{n.LocalPort, n.DeviceID}
	if _, ok := t.entries[k]; ok {
		t.entries[k] = n
		return neighborRefreshed, nil
	}
	if t.perPort[n.LocalPort] >= t.maxPerPort {
		return neighborRefused, nil
	}
	var evicted *Neighbor
	if len(t.entries) >= t.maxTotal {
		if evicted = t.victim(n.LocalPort); evicted == nil {
			return neighborRefused, nil
		}
		t.remove(evicted.LocalPort, evicted.DeviceID)
	}
	t.entries[k] = n
	t.perPort[n.LocalPort]++
	return neighborAdded, evicted
}

// victim picks the soonest-expiring neighbour of the fullest port, if that port holds more
// neighbours than port does.
func (t *neighborTable) victim(port string) *Neighbor {
	fullest, most := "", 0
	for p, c := range t.perPort {
		if c > most || (c == most && p < fullest) {
			fullest, most = p, c
		}
	}
	if most <= t.perPort[port] {
		return nil
	}
	var v *Neighbor
	for k, n := range t.entries {
		if k.port == fullest && (v == nil || n.Expires.Before(v.Expires)) {
			v = n
		}
	}
	return v
}

func (t *neighborTable) remove(port, deviceID string) *Neighbor {
	k := neighborKey{port, deviceID}
	n, ok := t.entries[k]
	if !ok {
		return nil
	}
	delete(t.entries, k)
	if t.perPort[port]--; t.perPort[port] <= 0 {
		delete(t.perPort, port)
	}
	return n
}

// removePort forgets every neighbour heard on port and returns how many there were.
func (t *neighborTable) removePort(port string) int {
	removed := 0
	for k := range t.entries {
		if k.port == port {
			delete(t.entries, k)
			removed++
		}
	}
	delete(t.perPort, port)
	return removed
}

func (t *neighborTable) clear() {
	clear(t.entries)
	clear(t.perPort)
}

// expire removes the neighbours whose holdtime has run out at now and returns them.
func (t *neighborTable) expire(now time.Time) []*Neighbor {
	var gone []*Neighbor
	for _, n := range t.entries {
		if !now.Before(n.Expires) {
			gone = append(gone, n)
		}
	}
	for _, n := range gone {
		t.remove(n.LocalPort, n.DeviceID)
	}
	return gone
}

// nextExpiry is the earliest expiry in the table, or the zero time when it is empty.
func (t *neighborTable) nextExpiry() time.Time {
	var next time.Time
	for _, n := range t.entries {
		if next.IsZero() || n.Expires.Before(next) {
			next = n.Expires
		}
	}
	return next
}

// list returns copies of the live neighbours at now, by Device ID then local port.
func (t *neighborTable) list(now time.Time) []Neighbor {
	out := make([]Neighbor, 0, len(t.entries))
	for _, n := range t.entries {
		if now.Before(n.Expires) {
			out = append(out, *n)
		}
	}
	slices.SortFunc(out, func(a, b Neighbor) int {
		return cmp.Or(cmp.Compare(a.DeviceID, b.DeviceID), compareIfNames(a.LocalPort, b.LocalPort))
	})
	return out
}

// storedCopy turns a decoded frame into a table entry: strings capped, unknown TLVs and
// decoding notes dropped, slices capped, nothing shared with f.
func storedCopy(port string, f *Frame, now time.Time) *Neighbor {
	p := f.Packet
	p.DeviceID = capString(p.DeviceID, maxStoredString)
	p.PortID = capString(p.PortID, maxStoredString)
	p.Platform = capString(p.Platform, maxStoredString)
	p.VTPDomain = capString(p.VTPDomain, maxStoredString)
	p.SystemName = capString(p.SystemName, maxStoredString)
	p.SoftwareVersion = capString(p.SoftwareVersion, maxStoredVersion)
	if h := p.ProtocolHello; h != nil {
		p.ProtocolHello = &ProtocolHello{OUI: h.OUI, ProtocolID: h.ProtocolID,
			Payload: slices.Clone(h.Payload[:min(len(h.Payload), maxStoredHello)])}
	}
	p.PowerRequested = capPower(p.PowerRequested)
	p.PowerAvailable = capPower(p.PowerAvailable)
	p.Unknown = nil
	p.OtherAddresses, p.DroppedTLVs, p.BadValueTLVs = 0, 0, 0
	return &Neighbor{
		LocalPort: port,
		SourceMAC: f.Src,
		LastHeard: now,
		Expires:   now.Add(time.Duration(p.Holdtime) * time.Second),
		Packet:    p,
	}
}

func capPower(pn *PowerNegotiation) *PowerNegotiation {
	if pn == nil {
		return nil
	}
	c := *pn
	c.Milliwatts = slices.Clone(pn.Milliwatts[:min(len(pn.Milliwatts), maxStoredPowerValues)])
	return &c
}

// capString keeps at most n bytes of s, in a fresh string (so a long one is not retained).
func capString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return string([]byte(s[:n]))
}
