package switchd

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/lisa-go/lisa/cli"
	"github.com/lisa-go/lisa/mgmtroute"
)

// The management IP settings of a switch that does not route: its domain
// name and its default gateway.

// ManagementRouter installs the default gateway of the switch's management
// addresses (package mgmtroute is the real one). Set with an invalid gw
// removes it.
type ManagementRouter interface {
	Set(gw netip.Addr, sources []netip.Addr) error
}

// maxDomainName is the longest domain name IOS and DNS take.
const maxDomainName = 253

func (s *Switch) defineIPManagement() {
	g := s.conf
	help := map[string]string{
		"ip":              "Global IP configuration subcommands",
		"domain-name":     "Define the default domain name",
		"domain":          "IP DNS Resolver",
		"name":            "Define the default domain name",
		"dname":           "Default domain name",
		"default-gateway": "Specify default gateway (if not routing IP)",
		"gw":              "IP address of default gateway",
	}
	setDomain := func(c *cli.Ctx, a cli.Args) error {
		d := a.Get("dname")
		if len(d) > maxDomainName || !validDomain(d) {
			return fmt.Errorf("%% Invalid domain name %q", d)
		}
		s.cfg.domainName = d
		s.updateCDPSystem()
		return nil
	}
	clearDomain := func(c *cli.Ctx, a cli.Args) error {
		s.cfg.domainName = ""
		s.updateCDPSystem()
		return nil
	}
	g.Define(cli.Command{Syntax: "ip domain-name WORD$dname", Priv: privMax, Help: help, Run: setDomain,
		Doc: "The switch's domain: CDP announces hostname.domain as its device ID"})
	g.Define(cli.Command{Syntax: "ip domain name WORD$dname", Priv: privMax, Help: help, Run: setDomain,
		Doc: "The same as ip domain-name (the IOS 15.2 spelling)"})
	g.Define(cli.Command{Syntax: "no ip domain-name [WORD$dname]", Priv: privMax, Help: help, Run: clearDomain})
	g.Define(cli.Command{Syntax: "no ip domain name [WORD$dname]", Priv: privMax, Help: help, Run: clearDomain})

	g.Define(cli.Command{Syntax: "ip default-gateway A.B.C.D$gw", Priv: privMax, Help: help,
		Doc: "Gateway of traffic from the VLAN interfaces' addresses (policy routing: the host's own routes are untouched)",
		Run: func(c *cli.Ctx, a cli.Args) error {
			gw, err := netip.ParseAddr(a.Get("gw"))
			if err != nil || !gw.Is4() || gw.IsUnspecified() || gw.IsMulticast() || gw.IsLoopback() || gw == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
				return fmt.Errorf("%% Invalid default gateway %s", a.Get("gw"))
			}
			if s.opts.Gateway == nil {
				return fmt.Errorf("%% This lisad has no management routing (no netlink): ip default-gateway cannot apply")
			}
			s.cfg.defaultGateway = gw
			switch err := s.applyGateway(); {
			case errors.Is(err, mgmtroute.ErrGatewayUnreachable):
				// IOS takes a gateway before the address that reaches
				// it; so does lisad, and installs it when one comes.
				c.Printf("%% %v; it applies once a VLAN interface's subnet holds it\n", err)
			case err != nil:
				s.cfg.defaultGateway = netip.Addr{}
				_ = s.applyGateway()
				return fmt.Errorf("%% %v", err)
			}
			return nil
		}})
	g.Define(cli.Command{Syntax: "no ip default-gateway [A.B.C.D$gw]", Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			s.cfg.defaultGateway = netip.Addr{}
			if err := s.applyGateway(); err != nil {
				return fmt.Errorf("%% %v", err)
			}
			return nil
		}})
	s.exec.Define(cli.Command{Syntax: "show ip route", Pipe: true, Priv: privMax,
		Help: map[string]string{"ip": "IP information", "route": "IP routing table"},
		Doc:  "The default gateway, as a Catalyst that does not route shows it",
		Run: func(c *cli.Ctx, a cli.Args) error {
			if gw := s.cfg.defaultGateway; gw.IsValid() {
				c.Printf("Default gateway is %s\n", gw)
			} else {
				c.Print("Default gateway is not set\n")
			}
			c.Print("\nHost               Gateway           Last Use    Total Uses  Interface\nICMP redirect cache is empty\n")
			return nil
		}})
}

// validDomain: dot-separated labels of letters, digits and hyphens, none
// empty or longer than 63, none starting or ending with a hyphen.
func validDomain(d string) bool {
	if d == "" {
		return false
	}
	for _, label := range strings.Split(strings.TrimSuffix(d, "."), ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return false
			}
		}
	}
	return true
}

// applyGateway installs the default gateway for the VLAN interfaces' IPv4
// addresses, or removes it. Called when the gateway or an address changes.
func (s *Switch) applyGateway() error {
	if s.opts.Gateway == nil {
		return nil
	}
	var sources []netip.Addr
	for _, id := range s.cfg.sviIDs() {
		for _, p := range s.cfg.svis[id].addrs {
			sources = append(sources, p.Addr())
		}
	}
	return s.opts.Gateway.Set(s.cfg.defaultGateway, sources)
}

// addressesChanged follows a change of the switch's addresses: CDP announces
// them, the management gateway serves them.
func (s *Switch) addressesChanged() {
	s.updateCDPSystem()
	s.applySyslog() // the source-interface's address
	if err := s.applyGateway(); err != nil && s.cfg.defaultGateway.IsValid() {
		s.log.Warn("default gateway not installed", "gateway", s.cfg.defaultGateway, "err", err)
	}
}

// deviceID is the name CDP announces: hostname.domain when a domain is set,
// as IOS does.
func (c *config) deviceID() string {
	if c.domainName == "" {
		return c.hostname
	}
	return c.hostname + "." + strings.TrimSuffix(c.domainName, ".")
}

// domainLines and gatewayLines are the running-config lines.
func (c *config) domainLines() []string {
	if c.domainName == "" {
		return nil
	}
	return []string{"ip domain-name " + c.domainName}
}

func (c *config) gatewayLines() []string {
	if !c.defaultGateway.IsValid() {
		return nil
	}
	return []string{"ip default-gateway " + c.defaultGateway.String()}
}
