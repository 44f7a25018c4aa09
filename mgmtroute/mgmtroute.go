// Package mgmtroute gives the switch's management addresses, the IPv4
// addresses of its VLAN interfaces, a default gateway of their own, as
// ip default-gateway does on a Catalyst that does not route.
//
// lisad's VLAN interfaces live in the host's network namespace, whose main
// table belongs to the host: a management gateway must not become the
// host's default route. So traffic from the management addresses is steered
// by policy rules instead: the first rule looks in the main table but
// ignores its default route (suppress_prefixlength 0), so connected subnets
// and the host's specific routes still apply; the second sends what is left
// to lisad's own table, whose only route is the default via the gateway.
// Traffic from the host's own addresses never meets either rule.
package mgmtroute

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// Table is the routing table lisad keeps the gateway in, and the rules'
// priorities: ahead of the main table (32766), after the local one (0).
const (
	Table          = 2960
	PrioritySpecif = 29600 // from ADDR lookup main suppress_prefixlength 0
	PriorityTable  = 29601 // from ADDR lookup Table
)

// Router keeps the rules and the table in one network namespace.
type Router struct {
	nl *netlink.Handle
}

// ErrGatewayUnreachable: no connected subnet holds the gateway (yet).
var ErrGatewayUnreachable = errors.New("the default gateway is not on a VLAN interface's subnet")

// New returns a Router for the network namespace of the calling thread. It
// removes what a lisad that did not stop cleanly left (rules and route).
func New() (*Router, error) {
	nl, err := netlink.NewHandle(unix.NETLINK_ROUTE)
	if err != nil {
		return nil, fmt.Errorf("netlink: %w", err)
	}
	r := &Router{nl: nl}
	if err := r.Set(netip.Addr{}, nil); err != nil {
		nl.Close()
		return nil, fmt.Errorf("removing old management rules: %w", err)
	}
	return r, nil
}

// Set makes gw the default gateway of traffic from sources and removes the
// rules of addresses no longer among them. An invalid gw, or no sources,
// removes everything. The rules are kept even when the gateway is not on a
// connected subnet yet (no VLAN interface address covers it): the error says
// so, and the next Set, after an address change, installs the route.
func (r *Router) Set(gw netip.Addr, sources []netip.Addr) error {
	var want []netip.Addr
	if gw.IsValid() {
		for _, s := range sources {
			if s.Is4() && !slices.Contains(want, s) {
				want = append(want, s)
			}
		}
	}
	if err := r.reconcileRules(want); err != nil {
		return err
	}
	if len(want) == 0 {
		return r.clearTable()
	}
	route := &netlink.Route{Table: Table, Dst: &net.IPNet{IP: net.IPv4zero.To4(), Mask: net.CIDRMask(0, 32)},
		Gw: gw.AsSlice(), Protocol: unix.RTPROT_STATIC}
	if err := r.nl.RouteReplace(route); err != nil {
		if errors.Is(err, unix.ENETUNREACH) {
			_ = r.clearTable()
			return fmt.Errorf("%w: %s", ErrGatewayUnreachable, gw)
		}
		return fmt.Errorf("default route via %s: %w", gw, err)
	}
	return nil
}

// Close removes the rules and the route.
func (r *Router) Close() error {
	err := r.Set(netip.Addr{}, nil)
	r.nl.Close()
	return err
}

// Gateway reads the gateway installed in Table (invalid: none) and the
// sources that have rules, as the kernel has them.
func (r *Router) Gateway() (gw netip.Addr, sources []netip.Addr, err error) {
	routes, err := r.nl.RouteListFiltered(netlink.FAMILY_V4, &netlink.Route{Table: Table}, netlink.RT_FILTER_TABLE)
	if err != nil {
		return gw, nil, err
	}
	for _, rt := range routes {
		if a, ok := netip.AddrFromSlice(rt.Gw); ok && (rt.Dst == nil || rt.Dst.IP.IsUnspecified()) {
			gw = a.Unmap()
		}
	}
	rules, err := r.ours()
	if err != nil {
		return gw, nil, err
	}
	for _, ru := range rules {
		if ru.Priority == PriorityTable {
			if a, ok := srcOf(ru); ok {
				sources = append(sources, a)
			}
		}
	}
	slices.SortFunc(sources, netip.Addr.Compare)
	return gw, sources, nil
}

func (r *Router) ours() ([]netlink.Rule, error) {
	all, err := r.nl.RuleList(netlink.FAMILY_V4)
	if err != nil {
		return nil, fmt.Errorf("list rules: %w", err)
	}
	var mine []netlink.Rule
	for _, ru := range all {
		switch {
		case ru.Priority == PriorityTable && ru.Table == Table:
		case ru.Priority == PrioritySpecif && ru.Table == unix.RT_TABLE_MAIN && ru.SuppressPrefixlen == 0:
		default:
			continue
		}
		mine = append(mine, ru)
	}
	return mine, nil
}

func srcOf(ru netlink.Rule) (netip.Addr, bool) {
	if ru.Src == nil {
		return netip.Addr{}, false
	}
	if ones, bits := ru.Src.Mask.Size(); ones != 32 || bits != 32 {
		return netip.Addr{}, false
	}
	a, ok := netip.AddrFromSlice(ru.Src.IP.To4())
	return a, ok
}

func (r *Router) reconcileRules(want []netip.Addr) error {
	have, err := r.ours()
	if err != nil {
		return err
	}
	present := map[[2]any]bool{}
	var errs []error
	for _, ru := range have {
		a, ok := srcOf(ru)
		if ok && slices.Contains(want, a) && !present[[2]any{a, ru.Priority}] {
			present[[2]any{a, ru.Priority}] = true
			continue
		}
		if err := r.nl.RuleDel(&ru); err != nil {
			errs = append(errs, fmt.Errorf("delete rule %v: %w", ru, err))
		}
	}
	for _, a := range want {
		src := &net.IPNet{IP: a.AsSlice(), Mask: net.CIDRMask(32, 32)}
		if !present[[2]any{a, PrioritySpecif}] {
			ru := netlink.NewRule()
			ru.Priority, ru.Table, ru.Src, ru.SuppressPrefixlen = PrioritySpecif, unix.RT_TABLE_MAIN, src, 0
			if err := r.nl.RuleAdd(ru); err != nil {
				errs = append(errs, fmt.Errorf("rule from %s lookup main: %w", a, err))
			}
		}
		if !present[[2]any{a, PriorityTable}] {
			ru := netlink.NewRule()
			ru.Priority, ru.Table, ru.Src = PriorityTable, Table, src
			if err := r.nl.RuleAdd(ru); err != nil {
				errs = append(errs, fmt.Errorf("rule from %s lookup %d: %w", a, Table, err))
			}
		}
	}
	return errors.Join(errs...)
}

func (r *Router) clearTable() error {
	routes, err := r.nl.RouteListFiltered(netlink.FAMILY_V4, &netlink.Route{Table: Table}, netlink.RT_FILTER_TABLE)
	if err != nil {
		return err
	}
	var errs []error
	for _, rt := range routes {
		if err := r.nl.RouteDel(&rt); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
