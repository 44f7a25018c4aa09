package switchd

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/lisa-go/lisa/cli"
)

// interface range: one config-if session for several interfaces. Every
// command typed in it runs once per member, in order, as if typed under
// each interface (ifMode.Around); the running-config shows the members one
// by one, as IOS does.

// ifRange is the session state of config-if-range.
type ifRange struct {
	members []ifRef
	classes []uint32
}

// maxRangeMembers bounds a range (every VLAN interface at most).
const maxRangeMembers = 4094

// rangeItem is "NAME", or "NAMEa - b" where NAME ends before the number a.
var rangeItem = regexp.MustCompile(`^(.*?)(\d+)\s*-\s*(\d+)$`)

// parseRange turns "eth1 - 3, vif5.0, vlan 10 - 12" into interface names.
func parseRange(text string) ([]string, error) {
	var names []string
	for _, item := range strings.Split(text, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return nil, fmt.Errorf("%% Invalid interface range %q: an empty item", text)
		}
		m := rangeItem.FindStringSubmatch(item)
		if m == nil {
			names = append(names, joinIfName(item))
			continue
		}
		first, err1 := strconv.Atoi(m[2])
		last, err2 := strconv.Atoi(m[3])
		if err1 != nil || err2 != nil || last < first {
			return nil, fmt.Errorf("%% Invalid interface range %q: the range must go up", item)
		}
		if last-first >= maxRangeMembers {
			return nil, fmt.Errorf("%% Invalid interface range %q: more than %d interfaces", item, maxRangeMembers)
		}
		for n := first; n <= last; n++ {
			names = append(names, joinIfName(m[1]+strconv.Itoa(n)))
		}
		if len(names) > maxRangeMembers {
			return nil, fmt.Errorf("%% Invalid interface range: more than %d interfaces", maxRangeMembers)
		}
	}
	return names, nil
}

// joinIfName closes the space IOS allows between an interface type and its
// number ("vlan 10", "Ethernet 1").
func joinIfName(s string) string {
	if i := strings.LastIndexByte(s, ' '); i > 0 {
		word, num := strings.TrimSpace(s[:i]), s[i+1:]
		if _, err := strconv.Atoi(num); err == nil && !strings.Contains(word, " ") {
			return word + num
		}
	}
	return strings.TrimSpace(s)
}

func (s *Switch) defineInterfaceRange() {
	s.ifMode.PromptOf = func(state any) string {
		if _, ok := state.(ifRange); ok {
			return "(config-if-range)"
		}
		return "(config-if)"
	}
	s.ifMode.Around = s.eachRangeMember
	s.conf.Define(cli.Command{Syntax: "interface range LINE$members", Priv: privMax,
		Help: map[string]string{"range": "interface range command", "members": "Interfaces: NAME, NAMEa - b, comma-separated (eth1 - 4, vif3.0, vlan 10 - 12)"},
		Doc:  "Configure several interfaces at once: each command runs on every member",
		Run:  s.cmdInterfaceRange})
}

func (s *Switch) cmdInterfaceRange(c *cli.Ctx, a cli.Args) error {
	names, err := parseRange(a.Get("members"))
	if err != nil {
		return err
	}
	var rng ifRange
	var added []string
	var addedSVIs, addedVLANs []uint16
	// All or nothing, as IOS: what this range brought in goes again.
	undo := func() {
		for _, n := range added {
			_ = s.removePort(n)
		}
		for _, id := range addedSVIs {
			delete(s.cfg.svis, id)
			if err := s.eng.RemoveSVI(id); err != nil {
				s.log.Warn("removing a VLAN interface of a refused range", "vlan", id, "err", err)
			}
		}
		for _, id := range addedVLANs {
			s.cfg.vlans.Remove(id)
		}
		if len(addedVLANs) > 0 {
			s.pushVLANs()
		}
	}
	seen := map[ifRef]bool{}
	for _, name := range names {
		ref := s.resolveIfName(name)
		if seen[ref] {
			continue
		}
		seen[ref] = true
		var class uint32
		if ref.svi != 0 {
			hadSVI, hadVLAN := s.cfg.svis[ref.svi] != nil, s.cfg.vlans.Has(ref.svi)
			if _, err := s.addSVI(ref.svi); err != nil {
				undo()
				return err
			}
			if !hadSVI {
				addedSVIs = append(addedSVIs, ref.svi)
			}
			if !hadVLAN {
				addedVLANs = append(addedVLANs, ref.svi)
			}
			class = classSVI
		} else {
			_, existed := s.cfg.ports[ref.port]
			p, err := s.addPort(ref.port)
			if err != nil {
				undo()
				return err
			}
			if !existed {
				added = append(added, ref.port)
			}
			class = portClass(p)
		}
		rng.members = append(rng.members, ref)
		rng.classes = append(rng.classes, class)
	}
	// Offered are the commands every member takes.
	class := ^uint32(0)
	for _, cl := range rng.classes {
		class &= cl
	}
	c.S.SetMode(s.ifMode, rng, class)
	return nil
}

// resolveIfName is resolveIf for a name typed in a range.
func (s *Switch) resolveIfName(name string) ifRef {
	if _, isPort := s.cfg.ports[name]; isPort {
		return ifRef{port: name}
	}
	if id, isSVI := sviFromName(name); isSVI {
		return ifRef{svi: id}
	}
	if eth, isEth := ethFromName(name); isEth {
		return ifRef{port: eth}
	}
	return ifRef{port: name}
}

// rangeOnce are the commands of config-if that are about the session, not
// the interface.
var rangeOnce = map[string]bool{"help": true, "exit": true, "end": true}

// eachRangeMember runs a config-if command on every member of a range, as
// the session of that member; a single interface runs it once. Each
// member's error is reported once with its name; the others still run.
func (s *Switch) eachRangeMember(c *cli.Ctx, cmd *cli.Command, run func() error) error {
	rng, ok := c.S.State().(ifRange)
	if !ok || rangeOnce[cmd.Syntax] {
		return run()
	}
	var errs []error
	for i, ref := range rng.members {
		c.S.SetMode(s.ifMode, ref, rng.classes[i])
		err := run()
		if c.S.Mode() != s.ifMode {
			// The command left interface configuration (exit): once.
			return err
		}
		// no switchport / switchport change what the member takes.
		rng.classes[i] = c.S.Class()
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %s", ref.display(), strings.TrimSuffix(err.Error(), "\n")))
		}
	}
	class := ^uint32(0)
	for _, cl := range rng.classes {
		class &= cl
	}
	c.S.SetMode(s.ifMode, rng, class)
	return errors.Join(errs...)
}
