package engine

import (
	"fmt"
	"log/slog"
	"net/netip"
	"time"
)

// Config configures an Engine. The zero value is usable.
type Config struct {
	// Logger receives operational messages; nil discards them.
	Logger *slog.Logger
	// Clock drives MAC aging; nil is the system clock.
	Clock Clock
	// MACTableSize bounds the MAC table (static entries included);
	// 0 means 16384.
	MACTableSize int
	// Host opens ports and SVIs and watches links; nil means the real
	// Linux host in the network namespace of the calling thread.
	Host Host
	// RxBatch is how many frames a port reads per system call; 0 means 32.
	RxBatch int
	// AgeInterval is how often the aging sweep runs against Clock; 0 means
	// one second, negative disables the sweep (tests call Age themselves).
	AgeInterval time.Duration
	// PuntQueue bounds the frames waiting for the punt handler; 0 means 256.
	PuntQueue int
}

// Mode is a port's switchport mode.
type Mode uint8

const (
	// Access carries one VLAN, untagged.
	Access Mode = iota
	// Trunk carries the allowed VLANs tagged, the native VLAN untagged.
	Trunk
)

func (m Mode) String() string {
	if m == Trunk {
		return "trunk"
	}
	return "access"
}

// PortConfig is the switching configuration of a port, applied atomically by
// SetPort.
type PortConfig struct {
	Mode       Mode
	AccessVLAN uint16 // 1-4094, used in access mode
	// NativeVLAN is the trunk's untagged VLAN (1-4094). 0 means none:
	// untagged frames on the trunk are dropped and everything egresses
	// tagged, like the original LiSA engine.
	NativeVLAN uint16
	Allowed    VLANSet // VLANs a trunk carries
	Shutdown   bool    // admin down: the netdev is set down, nothing is forwarded
	PuntCDP    bool    // hand CDP frames to the punt handler instead of flooding them
	// Routed ("no switchport") takes the port out of switching: it is in
	// no VLAN, nothing it receives is switched (the host's stack has it)
	// and nothing is flooded or forwarded to it, its dynamic MACs are
	// flushed, statics on it stay but are inactive, the fast path leaves
	// it, and it is no longer promiscuous. CDP is still punted (PuntCDP)
	// and Send still transmits on it. The rest of the configuration is
	// kept for when it switches again.
	Routed bool
}

// DefaultPortConfig is what a new port gets: access VLAN 1, native VLAN 1,
// all VLANs allowed, up, CDP punted.
func DefaultPortConfig() PortConfig {
	return PortConfig{Mode: Access, AccessVLAN: 1, NativeVLAN: 1, Allowed: AllVLANs(), PuntCDP: true}
}

func (pc *PortConfig) validate() error {
	if pc.Mode != Access && pc.Mode != Trunk {
		return fmt.Errorf("invalid switchport mode %d", pc.Mode)
	}
	if !ValidVLAN(pc.AccessVLAN) {
		return fmt.Errorf("access VLAN %d out of range 1-4094", pc.AccessVLAN)
	}
	if pc.NativeVLAN != 0 && !ValidVLAN(pc.NativeVLAN) {
		return fmt.Errorf("native VLAN %d out of range 1-4094", pc.NativeVLAN)
	}
	return nil
}

// PortKind says what sort of netdev a port is.
type PortKind uint8

const (
	KindOther PortKind = iota
	KindPhysical
	KindVeth
	KindTap
	KindSVI
)

func (k PortKind) String() string {
	switch k {
	case KindPhysical:
		return "physical"
	case KindVeth:
		return "veth"
	case KindTap:
		return "tap"
	case KindSVI:
		return "svi"
	}
	return "other"
}

// LinkInfo describes a netdev as the Host sees it.
type LinkInfo struct {
	Name    string
	Index   int
	MAC     MAC
	MTU     int
	AdminUp bool
	OperUp  bool   // carrier
	Speed   int    // Mbit/s, 0 if unknown
	Duplex  string // "full", "half" or "" if unknown
	Kind    PortKind
	// Stats are the netdev's own statistics (what `ip -s link` shows),
	// zero where the host keeps none.
	Stats LinkStats
}

// LinkStats are the error and drop counters the kernel keeps for a netdev
// (struct rtnl_link_stats64). They count what happens below lisad: frames
// the kernel or the driver dropped or rejected before lisad's socket saw
// them (a truncated 802.1Q frame raises RxDropped), and transmit failures
// after lisad handed a frame over.
type LinkStats struct {
	RxErrors, RxDropped                       uint64
	RxLengthErrors, RxOverErrors, RxCRCErrors uint64
	RxFrameErrors, RxFIFOErrors, RxMissed     uint64
	TxErrors, TxDropped, TxCarrierErrors      uint64
	TxFIFOErrors, TxAbortedErrors, Collisions uint64
}

// Sub returns s minus base, field by field, never below zero (a netdev's
// statistics restart from zero when it is re-created).
func (s LinkStats) Sub(base LinkStats) LinkStats {
	d := func(a, b uint64) uint64 {
		if a < b {
			return a
		}
		return a - b
	}
	return LinkStats{
		RxErrors: d(s.RxErrors, base.RxErrors), RxDropped: d(s.RxDropped, base.RxDropped),
		RxLengthErrors: d(s.RxLengthErrors, base.RxLengthErrors), RxOverErrors: d(s.RxOverErrors, base.RxOverErrors),
		RxCRCErrors: d(s.RxCRCErrors, base.RxCRCErrors), RxFrameErrors: d(s.RxFrameErrors, base.RxFrameErrors),
		RxFIFOErrors: d(s.RxFIFOErrors, base.RxFIFOErrors), RxMissed: d(s.RxMissed, base.RxMissed),
		TxErrors: d(s.TxErrors, base.TxErrors), TxDropped: d(s.TxDropped, base.TxDropped),
		TxCarrierErrors: d(s.TxCarrierErrors, base.TxCarrierErrors), TxFIFOErrors: d(s.TxFIFOErrors, base.TxFIFOErrors),
		TxAbortedErrors: d(s.TxAbortedErrors, base.TxAbortedErrors), Collisions: d(s.Collisions, base.Collisions),
	}
}

// PortStatus is a port as shown to the command layer.
type PortStatus struct {
	LinkInfo
	Config PortConfig
}

// Host is the engine's view of the operating system: it turns netdevs into
// PortIO, creates VLAN interfaces and watches links. NewLinuxHost is the real
// one; engine/enginetest has a fake.
type Host interface {
	// OpenPort brings netdev name up, makes it promiscuous and opens it
	// for raw frame I/O. A missing netdev gives an error whose text is
	// "interface NAME does not exist".
	OpenPort(name string) (PortIO, LinkInfo, error)
	// CreateSVI creates the tap netdev name with the given MAC, up, and
	// opens it.
	CreateSVI(name string, mac MAC) (PortIO, LinkInfo, error)
	// DeleteSVI deletes a netdev made by CreateSVI.
	DeleteSVI(name string) error
	// SetLinkUp sets the administrative state of a netdev.
	SetLinkUp(name string, up bool) error
	// SetAddrs replaces the IP addresses of a netdev.
	SetAddrs(name string, addrs []netip.Prefix) error
	// Link reads the current state of a netdev.
	Link(name string) (LinkInfo, error)
	// WatchLinks calls fn for every link change (gone: netdev deleted)
	// until stop is called.
	WatchLinks(fn func(l LinkInfo, gone bool)) (stop func(), err error)
}

// EventKind says what happened to a port.
type EventKind uint8

const (
	LinkUp EventKind = iota + 1
	LinkDown
	PortGone
)

func (k EventKind) String() string {
	switch k {
	case LinkUp:
		return "link-up"
	case LinkDown:
		return "link-down"
	case PortGone:
		return "port-gone"
	}
	return "unknown"
}

// Event is a change of a port the engine noticed by itself.
type Event struct {
	Kind EventKind
	Port string
	At   time.Time
}

// FDBEntry is one row of the MAC address table.
type FDBEntry struct {
	MAC    MAC
	VLAN   uint16
	Port   string
	Static bool
	// Idle is how long ago the address was last seen (0 for statics).
	Idle time.Duration
}

// EntryType selects static or dynamic entries in an FDBFilter.
type EntryType uint8

const (
	AnyEntry EntryType = iota
	DynamicEntry
	StaticEntry
)

// FDBFilter selects MAC table entries; zero fields match everything.
type FDBFilter struct {
	Type EntryType
	MAC  *MAC
	Port string
	VLAN uint16
}

func (f *FDBFilter) match(e *FDBEntry) bool {
	switch {
	case f.Type == DynamicEntry && e.Static, f.Type == StaticEntry && !e.Static:
		return false
	case f.MAC != nil && *f.MAC != e.MAC:
		return false
	case f.Port != "" && f.Port != e.Port:
		return false
	case f.VLAN != 0 && f.VLAN != e.VLAN:
		return false
	}
	return true
}

// MACCounts summarises the MAC table.
type MACCounts struct {
	Dynamic  int
	Static   int
	Capacity int
	Evicted  uint64 // dynamic entries pushed out because the table was full
}
