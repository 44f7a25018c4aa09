package switchd

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/lisa-go/lisa/clockzone"
	"github.com/lisa-go/lisa/engine"
)

// The VLANs every switch has, which can be neither deleted nor renamed.
var defaultVLANNames = map[uint16]string{
	1:    "default",
	1002: "fddi-default",
	1003: "token-ring-default",
	1004: "fddinet-default",
	1005: "trnet-default",
}

func isDefaultVLAN(id uint16) bool { _, ok := defaultVLANNames[id]; return ok }

// isMediaVLAN tells the FDDI and Token Ring VLANs 1002-1005 apart: they are
// listed, as on a Catalyst, but carry no Ethernet traffic.
func isMediaVLAN(id uint16) bool { return id >= 1002 && id <= 1005 }

// errMediaVLAN refuses a media VLAN where a port would carry it untagged.
func errMediaVLAN(id uint16, what string) error {
	return fmt.Errorf("%% VLAN %d is an FDDI/Token Ring VLAN and cannot be the %s of an Ethernet port", id, what)
}

// vlanName returns the VLAN's display name: its own, the default VLANs'
// fixed names, or VLAN%04d.
func (c *config) vlanName(id uint16) string {
	if n, ok := defaultVLANNames[id]; ok {
		return n
	}
	if n := c.vlanNames[id]; n != "" {
		return n
	}
	return fmt.Sprintf("VLAN%04d", id)
}

// port is the configuration of one switch port (a netdev).
type port struct {
	name        string
	description string
	mode        engine.Mode
	// modeSet records an explicit "switchport mode access", which the
	// running-config shows; a trunk is always explicit.
	modeSet    bool
	accessVLAN uint16
	nativeVLAN uint16
	allowed    engine.VLANSet
	shutdown   bool
	cdp        bool
	vm         *vmBinding
	// routed is "no switchport": the port switches nothing and may have
	// IP addresses (addrs: primary first; addrs6). The switching settings
	// above are kept for "switchport".
	routed bool
	addrs  []netip.Prefix
	addrs6 []netip.Prefix
	// speed (Mbit/s) and duplex forced with ethtool; 0 and "" are auto.
	speed  int
	duplex string
	// inert holds Catalyst lines kept without effect (cmd_inert.go).
	inert portInert
	// mtu is the port's own MTU (0: the global one, cmd_mtu.go); hostMTU
	// the netdev's when it joined, given back when the port leaves.
	mtu, hostMTU int
}

// vmBinding ties a port to a VM's NIC, so its configuration is saved in the
// VM's record and follows the VM to its next vif.
type vmBinding struct {
	domain string
	nic    int
}

func newPort(name string) *port {
	return &port{name: name, mode: engine.Access, accessVLAN: 1, nativeVLAN: 1, allowed: engine.AllVLANs(), cdp: true}
}

// svi is a VLAN interface ("interface Vlan10", netdev vlan10).
type svi struct {
	vlan        uint16
	description string
	shutdown    bool
	addrs       []netip.Prefix // primary first, then secondaries
	addrs6      []netip.Prefix // global IPv6 addresses, in the order configured
}

// allAddrs is what the interface's netdev carries: IPv4 (primary first) and
// IPv6.
func (s *svi) allAddrs() []netip.Prefix {
	return append(append([]netip.Prefix(nil), s.addrs...), s.addrs6...)
}

func (s *svi) name() string { return "Vlan" + strconv.Itoa(int(s.vlan)) }

// staticMAC is a "mac address-table static" line.
type staticMAC struct {
	mac  engine.MAC
	vlan uint16
	port string
}

// config is the running configuration: everything show running-config shows.
type config struct {
	hostname  string
	secrets   map[int]Secret // by privilege level
	vlans     engine.VLANSet // the VLAN database (defaults included)
	vlanNames map[uint16]string
	ports     map[string]*port
	svis      map[uint16]*svi
	statics   []staticMAC
	aging     int    // seconds, 0 = never
	vtpDomain string // announced by CDP; there is no VTP protocol
	vtpMode   string // "", "transparent" or "off": kept (show inert-config)

	mtu mtuConfig // system mtu (cmd_mtu.go)
	// clock timezone and summer-time (cmd_clock.go), and the lines that set them.
	clock                 clockzone.Clock
	clockLine, summerLine string
	timestamps            timestampFormat // service timestamps log
	syslog                syslogConfig    // logging host, trap, facility (cmd_syslog.go)
	nameServers           []netip.Addr    // ip name-server (cmd_dns.go)
	lookupOff             bool            // no ip domain-lookup
	domainName            string          // ip domain-name
	defaultGateway        netip.Addr      // ip default-gateway (cmd_ipmgmt.go)

	igmp igmpConfig // IGMP snooping (cmd_igmp.go)

	inert map[string]inertLine // kept lines without effect, by family (cmd_inert.go)
}

const defaultAging = 300

func newConfig() *config {
	c := &config{
		hostname:  "Switch",
		secrets:   map[int]Secret{},
		vlanNames: map[uint16]string{},
		ports:     map[string]*port{},
		svis:      map[uint16]*svi{},
		aging:     defaultAging,
	}
	for id := range defaultVLANNames {
		c.vlans.Add(id)
	}
	return c
}

func (c *config) portNames() []string {
	names := make([]string, 0, len(c.ports))
	for n := range c.ports {
		names = append(names, n)
	}
	sortIfNames(names)
	return names
}

func (c *config) sviIDs() []uint16 {
	ids := make([]uint16, 0, len(c.svis))
	for id := range c.svis {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// sortIfNames sorts interface names the way people read them: eth2 before
// eth10, vif3.1 before vif10.0.
func sortIfNames(names []string) {
	sort.Slice(names, func(i, j int) bool { return ifNameLess(names[i], names[j]) })
}

func ifNameLess(a, b string) bool {
	for a != "" && b != "" {
		da, ra := leadingNumber(a)
		db, rb := leadingNumber(b)
		switch {
		case da != "" && db != "":
			na, _ := strconv.Atoi(da)
			nb, _ := strconv.Atoi(db)
			if na != nb {
				return na < nb
			}
			a, b = ra, rb
		case a[0] != b[0]:
			return a[0] < b[0]
		default:
			a, b = a[1:], b[1:]
		}
	}
	return len(a) < len(b)
}

func leadingNumber(s string) (num, rest string) {
	i := 0
	for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i], s[i:]
}

// engineConfig is what the packet engine needs of a port's configuration.
func (p *port) engineConfig(cdpRun bool) engine.PortConfig {
	return engine.PortConfig{
		Mode:       p.mode,
		AccessVLAN: p.accessVLAN,
		NativeVLAN: p.nativeVLAN,
		Allowed:    p.allowed,
		Shutdown:   p.shutdown,
		PuntCDP:    cdpRun && p.cdp,
		Routed:     p.routed,
	}
}

// validNetdevName is Linux's rule for interface names.
func validNetdevName(s string) bool {
	if s == "" || len(s) > 15 || s == "." || s == ".." {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == '/' || c == ':' {
			return false
		}
	}
	return true
}

// sviFromName recognises VLAN interface names: Vlan10, vlan10, vl10.
func sviFromName(s string) (uint16, bool) {
	l := strings.ToLower(s)
	for _, p := range []string{"vlan", "vla", "vl"} {
		if rest, ok := strings.CutPrefix(l, p); ok {
			n, err := strconv.Atoi(rest)
			if err == nil && n >= 1 && n <= 4094 && strconv.Itoa(n) == rest {
				return uint16(n), true
			}
			return 0, false
		}
	}
	return 0, false
}

// ethFromName recognises the original's Ethernet shorthands (e1, et1,
// Ethernet1) for ethN.
func ethFromName(s string) (string, bool) {
	l := strings.ToLower(s)
	i := 0
	for i < len(l) && l[i] >= 'a' && l[i] <= 'z' {
		i++
	}
	word, num := l[:i], l[i:]
	if word == "" || !strings.HasPrefix("ethernet", word) {
		return "", false
	}
	if n, err := strconv.Atoi(num); err != nil || n < 0 || strconv.Itoa(n) != num {
		return "", false
	}
	return "eth" + num, true
}
