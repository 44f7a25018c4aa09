package cdp

import (
	"slices"
	"strings"
	"time"
)

// portState is what the agent knows of one switch port.
type portState struct {
	name       string
	mac        [6]byte
	up         bool
	enabled    bool // `cdp enable`
	trunk      bool
	nativeVLAN uint16
	duplex     Duplex
	nextSend   time.Time
}

// active: CDP runs on this port (global run, `cdp enable`, and the port is up).
func (ps *portState) active(s Settings) bool { return s.Run && ps.enabled && ps.up }

// AddPort registers a switch port: CDP enabled (the IOS default), down, access, full duplex.
// Adding a name again is a no-op that keeps its state. mac is the source of its frames.
func (a *Agent) AddPort(name string, mac [6]byte) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if ps, ok := a.ports[name]; ok {
		ps.mac = mac
		return
	}
	a.ports[name] = &portState{name: name, mac: mac, enabled: true, duplex: DuplexFull}
}

// RemovePort forgets a port and its neighbours, after a holdtime-0 advertisement if CDP was
// running on it.
func (a *Agent) RemovePort(name string) error {
	a.mu.Lock()
	ps, ok := a.ports[name]
	if !ok {
		a.mu.Unlock()
		return ErrUnknownPort
	}
	out := a.goodbye(name)
	delete(a.ports, name)
	a.table.removePort(ps.name)
	a.mu.Unlock()
	a.transmit(out)
	return nil
}

// SetPortUp tells the agent a port came up or is going down. Up: the first advertisement
// goes out at once. Down: call it before the link goes away (on `shutdown`), so the
// holdtime-0 advertisement still leaves; the port's neighbours are forgotten.
func (a *Agent) SetPortUp(name string, up bool) error {
	return a.changePort(name, func(ps *portState) { ps.up = up })
}

// SetPortEnabled is `cdp enable` / `no cdp enable` on a port. Disabling sends holdtime 0
// and forgets the port's neighbours; enabling advertises at once if the port is up.
func (a *Agent) SetPortEnabled(name string, on bool) error {
	return a.changePort(name, func(ps *portState) { ps.enabled = on })
}

// PortEnabled reports `cdp enable` for a port (for running-config).
func (a *Agent) PortEnabled(name string) (enabled bool, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	ps, ok := a.ports[name]
	if !ok {
		return false, ErrUnknownPort
	}
	return ps.enabled, nil
}

// SetPortVLAN sets the port's mode: trunks announce their native VLAN (CDPv2), access ports
// do not.
func (a *Agent) SetPortVLAN(name string, trunk bool, nativeVLAN uint16) error {
	return a.changePort(name, func(ps *portState) { ps.trunk, ps.nativeVLAN = trunk, nativeVLAN })
}

// SetPortDuplex sets the duplex announced on the port (CDPv2).
func (a *Agent) SetPortDuplex(name string, d Duplex) error {
	return a.changePort(name, func(ps *portState) { ps.duplex = d })
}

// changePort applies change and acts on the port becoming active (advertise at once) or
// inactive (holdtime 0, forget its neighbours).
func (a *Agent) changePort(name string, change func(*portState)) error {
	a.mu.Lock()
	ps, ok := a.ports[name]
	if !ok {
		a.mu.Unlock()
		return ErrUnknownPort
	}
	was := ps.active(a.settings)
	var out []outgoing
	if was {
		// Build the goodbye before the change: it must leave with the port's old identity.
		out = a.goodbye(name)
	}
	change(ps)
	now := ps.active(a.settings)
	switch {
	case was && now:
		out = nil // still active: no goodbye, the change rides the next advertisement
	case !was && now:
		out = a.advertiseNow(name)
	case was && !now:
		a.table.removePort(name)
	}
	a.mu.Unlock()
	a.transmit(out)
	return nil
}

// advertiseNow builds advertisements for the named active ports and schedules their next
// ones a timer period later. Caller holds mu.
func (a *Agent) advertiseNow(names ...string) []outgoing {
	var out []outgoing
	now := a.clock.Now()
	for _, name := range names {
		ps := a.ports[name]
		if ps == nil || !ps.active(a.settings) {
			continue
		}
		out = append(out, a.advertise(ps, uint8(a.settings.Holdtime)))
		ps.nextSend = now.Add(time.Duration(a.settings.Timer) * time.Second)
		a.poke(ps.nextSend)
	}
	return out
}

// goodbye builds holdtime-0 advertisements for the named ports that are active. Caller holds mu.
func (a *Agent) goodbye(names ...string) []outgoing {
	var out []outgoing
	for _, name := range names {
		if ps := a.ports[name]; ps != nil && ps.active(a.settings) {
			out = append(out, a.advertise(ps, 0))
		}
	}
	return out
}

// sortedPorts returns the port names in order, so sends happen in a stable order. Caller holds mu.
func (a *Agent) sortedPorts() []string {
	names := make([]string, 0, len(a.ports))
	for name := range a.ports {
		names = append(names, name)
	}
	slices.SortFunc(names, compareIfNames)
	return names
}

// compareIfNames orders interface names as people read them: the numbers
// in them by value (vif2.0 before vif10.0).
func compareIfNames(a, b string) int {
	for a != "" && b != "" {
		da, db := digits(a), digits(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if len(na) != len(nb) {
				return len(na) - len(nb)
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func digits(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}
