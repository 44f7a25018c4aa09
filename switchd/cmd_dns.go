package switchd

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/lisa-go/lisa/cli"
)

// Names: ip name-server, ip domain-lookup, used by ping NAME. Lookups go to
// the configured servers in order, through Go's resolver (the host's
// resolv.conf is not used: the switch has its own servers, as a Catalyst).
// An unqualified name gets ip domain-name appended first, as IOS does.

const maxNameServers = 6

// errUnknownHost is IOS's message for a name that does not resolve.
var errUnknownHost = errors.New("% Unrecognized host or address, or protocol not running.")

func (s *Switch) defineDNS() {
	g := s.conf
	help := map[string]string{
		"ip":            "Global IP configuration subcommands",
		"name-server":   "Specify address of name server to use",
		"ns1":           "Domain server IP address (maximum of 6)",
		"ns2":           "Domain server IP address (maximum of 6)",
		"ns3":           "Domain server IP address (maximum of 6)",
		"ns4":           "Domain server IP address (maximum of 6)",
		"ns5":           "Domain server IP address (maximum of 6)",
		"ns6":           "Domain server IP address (maximum of 6)",
		"domain-lookup": "Enable IP Domain Name System hostname translation",
		"domain":        "IP DNS Resolver",
		"lookup":        "Enable IP Domain Name System hostname translation",
	}
	servers := "A.B.C.D$ns1 [A.B.C.D$ns2 [A.B.C.D$ns3 [A.B.C.D$ns4 [A.B.C.D$ns5 [A.B.C.D$ns6]]]]]"
	given := func(a cli.Args) ([]netip.Addr, error) {
		var out []netip.Addr
		for i := 1; i <= maxNameServers; i++ {
			v, ok := a.Lookup(fmt.Sprintf("ns%d", i))
			if !ok {
				break
			}
			addr, err := netip.ParseAddr(v)
			if err != nil || !addr.Is4() || addr.IsUnspecified() || addr.IsMulticast() {
				return nil, fmt.Errorf("%% Invalid name server address %s", v)
			}
			out = append(out, addr)
		}
		return out, nil
	}
	g.Define(cli.Command{Syntax: "ip name-server " + servers, Priv: privMax, Help: help,
		Doc: "Name servers for ping NAME (added to those given before, at most 6)",
		Run: func(c *cli.Ctx, a cli.Args) error {
			add, err := given(a)
			if err != nil {
				return err
			}
			for _, addr := range add {
				if !containsAddr(s.cfg.nameServers, addr) {
					s.cfg.nameServers = append(s.cfg.nameServers, addr)
				}
			}
			if len(s.cfg.nameServers) > maxNameServers {
				s.cfg.nameServers = s.cfg.nameServers[:maxNameServers]
				c.Print("% Only 6 name servers are kept\n")
			}
			return nil
		}})
	g.Define(cli.Command{Syntax: "no ip name-server [" + servers + "]", Priv: privMax, Help: help,
		Run: func(c *cli.Ctx, a cli.Args) error {
			del, err := given(a)
			if err != nil {
				return err
			}
			if len(del) == 0 {
				s.cfg.nameServers = nil
				return nil
			}
			kept := s.cfg.nameServers[:0]
			for _, addr := range s.cfg.nameServers {
				if !containsAddr(del, addr) {
					kept = append(kept, addr)
				}
			}
			s.cfg.nameServers = kept
			return nil
		}})
	for _, syntax := range []string{"ip domain-lookup", "ip domain lookup"} {
		g.Define(cli.Command{Syntax: syntax, Priv: privMax, Help: help,
			Run: func(c *cli.Ctx, a cli.Args) error { s.cfg.lookupOff = false; return nil }})
		g.Define(cli.Command{Syntax: "no " + syntax, Priv: privMax, Help: help,
			Run: func(c *cli.Ctx, a cli.Args) error { s.cfg.lookupOff = true; return nil }})
	}
}

func containsAddr(list []netip.Addr, a netip.Addr) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

// resolve turns a ping target into an address: an IPv4 literal as it is, a
// name through the name servers. server is the one that answered ("" for a
// literal).
func (s *Switch) resolve(ctx context.Context, name string) (addr netip.Addr, server netip.Addr, err error) {
	if a, err := netip.ParseAddr(name); err == nil {
		if !a.Is4() {
			return netip.Addr{}, netip.Addr{}, errUnknownHost
		}
		return a, netip.Addr{}, nil
	}
	if !validDomain(name) {
		return netip.Addr{}, netip.Addr{}, errUnknownHost
	}
	s.mu.Lock()
	servers := append([]netip.Addr(nil), s.cfg.nameServers...)
	off, domain := s.cfg.lookupOff, s.cfg.domainName
	s.mu.Unlock()
	if off || len(servers) == 0 {
		return netip.Addr{}, netip.Addr{}, errUnknownHost
	}
	names := []string{name}
	if !strings.Contains(strings.TrimSuffix(name, "."), ".") && domain != "" {
		names = []string{name + "." + domain, name}
	}
	for _, srv := range servers {
		r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, netip.AddrPortFrom(srv, 53).String())
		}}
		for _, n := range names {
			lctx, cancel := context.WithTimeout(ctx, 3*time.Second)
			ips, err := r.LookupNetIP(lctx, "ip4", strings.TrimSuffix(n, ".")+".")
			cancel()
			if err == nil && len(ips) > 0 {
				return ips[0].Unmap(), srv, nil
			}
		}
	}
	return netip.Addr{}, netip.Addr{}, errUnknownHost
}

// lookupLines and nameServerLines are the running-config lines, which IOS
// puts around ip domain-name.
func (c *config) lookupLines() []string {
	if c.lookupOff {
		return []string{"no ip domain-lookup"}
	}
	return nil
}

func (c *config) nameServerLines() []string {
	if len(c.nameServers) == 0 {
		return nil
	}
	parts := []string{"ip name-server"}
	for _, a := range c.nameServers {
		parts = append(parts, a.String())
	}
	return []string{strings.Join(parts, " ")}
}
