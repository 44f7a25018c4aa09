package cdp

import (
	"context"
	"errors"
	"log/slog"
	"net/netip"
	"slices"
	"sync"
	"time"
)

// Sender transmits a frame on a port. The packet engine implements it; the agent calls it
// without holding its own lock, so Send may call back into the agent.
type Sender interface {
	Send(port string, frame []byte) error
}

// Clock tells the time. Tests inject a fake one and call Agent.Tick after moving it.
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// System is what the switch as a whole announces, set by switchd whenever it changes.
type System struct {
	Hostname        string       // Device ID; "Switch" when empty
	Addresses       []netip.Addr // management IPv4/IPv6 of the VLAN interfaces
	SoftwareVersion string       // e.g. HostSoftwareVersion("LiSA-Go", version)
	Platform        string       // e.g. HostPlatform("LiSA-Go")
	VTPDomain       string       // announced (CDPv2) when not empty
	IGMPSnooping    bool         // adds the IGMP capability
}

// Options configure an Agent. Only Sender is required.
type Options struct {
	Sender              Sender
	Clock               Clock        // default: the system clock
	Logger              *slog.Logger // default: discard
	Settings            *Settings    // default: DefaultSettings()
	MaxNeighborsPerPort int          // default: DefaultMaxNeighborsPerPort
	MaxNeighbors        int          // default: DefaultMaxNeighbors
}

// ErrUnknownPort is returned by the port methods for a name never added.
var ErrUnknownPort = errors.New("cdp: unknown port")

// Agent is the CDP daemon: it announces the switch on every port where CDP runs, keeps the
// table of neighbours heard, and counts traffic. All methods are safe for concurrent use.
// Time moves only through Tick (which Run calls): nothing happens behind the caller's back,
// so tests drive it with a fake clock and never sleep.
type Agent struct {
	send  Sender
	clock Clock
	log   *slog.Logger
	count counters
	wake  chan struct{} // pokes Run when something is due earlier than it planned

	mu       sync.Mutex
	settings Settings
	system   System
	ports    map[string]*portState
	table    *neighborTable
	deadline time.Time // when Run plans to call Tick next (zero: not planned)
}

// NewAgent returns an agent with no ports.
func NewAgent(o Options) *Agent {
	a := &Agent{
		send:     o.Sender,
		clock:    o.Clock,
		log:      o.Logger,
		wake:     make(chan struct{}, 1),
		settings: DefaultSettings(),
		ports:    make(map[string]*portState),
	}
	if a.clock == nil {
		a.clock = systemClock{}
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if o.Settings != nil {
		a.settings = *o.Settings
	}
	perPort, total := o.MaxNeighborsPerPort, o.MaxNeighbors
	if perPort <= 0 {
		perPort = DefaultMaxNeighborsPerPort
	}
	if total <= 0 {
		total = DefaultMaxNeighbors
	}
	a.table = newNeighborTable(perPort, total)
	return a
}

// Run calls Tick whenever something is due, until ctx ends. It waits on real timers, so
// with a fake clock call Tick directly instead.
func (a *Agent) Run(ctx context.Context) error {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		next := a.Tick()
		var due <-chan time.Time
		if !next.IsZero() {
			timer.Reset(max(next.Sub(a.clock.Now()), 0))
			due = timer.C
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-due:
		case <-a.wake:
		}
		timer.Stop()
	}
}

// Tick does what is due at the clock's now: advertisements whose time has come, and
// neighbours whose holdtime ran out. It returns when it next has something to do (zero:
// nothing planned until a setting, port or neighbour changes).
func (a *Agent) Tick() time.Time {
	now := a.clock.Now()
	a.mu.Lock()
	for _, n := range a.table.expire(now) {
		a.log.Info("cdp neighbor expired", "port", n.LocalPort, "device", Printable(n.DeviceID, 64))
	}
	var out []outgoing
	if a.settings.Run {
		for _, name := range a.sortedPorts() {
			ps := a.ports[name]
			if ps.active(a.settings) && !now.Before(ps.nextSend) {
				out = append(out, a.advertise(ps, uint8(a.settings.Holdtime)))
				ps.nextSend = now.Add(time.Duration(a.settings.Timer) * time.Second)
			}
		}
	}
	next := a.nextDeadline()
	a.deadline = next
	a.mu.Unlock()
	a.transmit(out)
	return next
}

// nextDeadline is the earliest advertisement or expiry to come. Caller holds mu.
func (a *Agent) nextDeadline() time.Time {
	next := a.table.nextExpiry()
	if a.settings.Run {
		for _, ps := range a.ports {
			if ps.active(a.settings) && (next.IsZero() || ps.nextSend.Before(next)) {
				next = ps.nextSend
			}
		}
	}
	return next
}

// poke wakes Run if t comes before what it planned. Caller holds mu.
func (a *Agent) poke(t time.Time) {
	if a.deadline.IsZero() || t.Before(a.deadline) {
		a.deadline = t
		select {
		case a.wake <- struct{}{}:
		default:
		}
	}
}

// SetSystem replaces what the switch announces; the next advertisements carry it.
func (a *Agent) SetSystem(s System) {
	s.Addresses = slices.Clone(s.Addresses)
	a.mu.Lock()
	a.system = s
	a.mu.Unlock()
}

// Settings returns the current global settings.
func (a *Agent) Settings() Settings {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.settings
}

// SetRun is `cdp run` / `no cdp run`. Turning CDP on advertises at once on every port where
// it is enabled and up. Turning it off sends holdtime 0 on those ports, so neighbours forget
// us now rather than in holdtime seconds, and empties the neighbour table.
func (a *Agent) SetRun(on bool) {
	a.mu.Lock()
	if a.settings.Run == on {
		a.mu.Unlock()
		return
	}
	var out []outgoing
	if on {
		a.settings.Run = true
		out = a.advertiseNow(a.sortedPorts()...)
	} else {
		out = a.goodbye(a.sortedPorts()...)
		a.settings.Run = false
		a.table.clear()
	}
	a.mu.Unlock()
	a.log.Info("cdp run", "enabled", on)
	a.transmit(out)
}

// SetTimer is `cdp timer <5-254>`. A shorter period takes effect at once: no port waits
// longer than the new period for its next advertisement.
func (a *Agent) SetTimer(seconds int) error {
	if err := ValidateTimer(seconds); err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.settings.Timer = seconds
	limit := a.clock.Now().Add(time.Duration(seconds) * time.Second)
	for _, ps := range a.ports {
		if ps.nextSend.After(limit) {
			ps.nextSend = limit
		}
	}
	if a.settings.Run {
		a.poke(limit)
	}
	return nil
}

// SetHoldtime is `cdp holdtime <10-255>`; the next advertisements carry it.
func (a *Agent) SetHoldtime(seconds int) error {
	if err := ValidateHoldtime(seconds); err != nil {
		return err
	}
	a.mu.Lock()
	a.settings.Holdtime = seconds
	a.mu.Unlock()
	return nil
}

// SetAdvertiseV2 is `cdp advertise-v2` / `no cdp advertise-v2`; the next advertisements use
// that version. CDPv1 advertisements leave out the v2 TLVs (VTP domain, native VLAN, duplex).
func (a *Agent) SetAdvertiseV2(on bool) {
	a.mu.Lock()
	a.settings.AdvertiseV2 = on
	a.mu.Unlock()
}

// ClearCounters is `clear cdp counters`.
func (a *Agent) ClearCounters() { a.count.reset() }

// ClearTable is `clear cdp table`: forget every neighbour.
func (a *Agent) ClearTable() {
	a.mu.Lock()
	a.table.clear()
	a.mu.Unlock()
}

// Counters returns the traffic counters.
func (a *Agent) Counters() Counters { return a.count.snapshot() }

// Snapshot is a consistent copy of everything the show commands print.
type Snapshot struct {
	Now       time.Time
	Settings  Settings
	Counters  Counters
	Neighbors []Neighbor   // live ones, by Device ID then local port
	Ports     []PortStatus // every port, by name
}

// PortStatus is a port as `show cdp interface` sees it.
type PortStatus struct {
	Name    string
	Up      bool
	Enabled bool // `cdp enable`
}

// Snapshot returns the data for the show renderers (ShowNeighbors and friends).
func (a *Agent) Snapshot() Snapshot {
	now := a.clock.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	s := Snapshot{Now: now, Settings: a.settings, Counters: a.count.snapshot(), Neighbors: a.table.list(now)}
	for _, name := range a.sortedPorts() {
		ps := a.ports[name]
		s.Ports = append(s.Ports, PortStatus{Name: name, Up: ps.up, Enabled: ps.enabled})
	}
	return s
}

// Neighbors returns the live neighbours (all ports when port is empty).
func (a *Agent) Neighbors(port string) []Neighbor {
	now := a.clock.Now()
	a.mu.Lock()
	all := a.table.list(now)
	a.mu.Unlock()
	if port == "" {
		return all
	}
	return slices.DeleteFunc(all, func(n Neighbor) bool { return n.LocalPort != port })
}
