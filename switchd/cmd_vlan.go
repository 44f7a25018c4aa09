package switchd

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lisa-go/lisa/cli"
	"github.com/lisa-go/lisa/engine"
)

// maxVLANName is IOS's limit on VLAN names.
const maxVLANName = 32

func (s *Switch) defineVLAN() {
	g := s.conf
	vlanHelp := map[string]string{"vlan": "Vlan commands", "VLANLIST": "ISL VLAN IDs 1-4094, e.g. 10 or 10,20-25"}
	g.Define(cli.Command{Syntax: "vlan VLANLIST", Priv: privMax, Help: vlanHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			set, err := engine.ParseVLANList(a.Get("vlan"))
			if err != nil {
				return badVLANList(err)
			}
			for _, id := range set.IDs() {
				s.cfg.vlans.Add(id)
			}
			s.pushVLANs()
			c.S.SetMode(s.vlMode, set.IDs(), 0)
			return nil
		}})
	g.Define(cli.Command{Syntax: "no vlan VLANLIST", Priv: privMax, Help: vlanHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			set, err := engine.ParseVLANList(a.Get("vlan"))
			if err != nil {
				return badVLANList(err)
			}
			var msgs []string
			for _, id := range set.IDs() {
				if isDefaultVLAN(id) {
					msgs = append(msgs, fmt.Sprintf("%%Default VLAN %d may not be deleted.", id))
					continue
				}
				// Ports keep their settings and carry the VLAN again when
				// it is created again; the engine flushes its MACs.
				s.cfg.vlans.Remove(id)
				delete(s.cfg.vlanNames, id)
			}
			s.pushVLANs()
			if len(msgs) > 0 {
				return errors.New(strings.Join(msgs, "\n"))
			}
			return nil
		}})

	v := s.vlMode
	nameHelp := map[string]string{"name": "Ascii name of the VLAN", "WORD": "The ascii name for the VLAN"}
	v.Define(cli.Command{Syntax: "name WORD", Priv: privMax, Help: nameHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			n := a.Get("name")
			if len(n) > maxVLANName {
				return fmt.Errorf("%% VLAN name is longer than %d characters", maxVLANName)
			}
			return s.nameVLANs(c, n)
		}})
	v.Define(cli.Command{Syntax: "no name", Priv: privMax, Help: nameHelp,
		Run: func(c *cli.Ctx, a cli.Args) error { return s.nameVLANs(c, "") }})

	x := s.exec
	x.Define(cli.Command{Syntax: "show vlan [brief | id <1-4094> | name WORD | summary]", Pipe: true,
		Help: map[string]string{"vlan": "VTP VLAN status", "brief": "VTP all VLAN status in brief", "id": "VTP VLAN status by VLAN id",
			"name": "VTP VLAN status by VLAN name", "WORD": "A VTP VLAN name", "summary": "VLAN summary information"},
		Run: s.showVLAN})
}

func badVLANList(err error) error {
	return fmt.Errorf("Command rejected: %v", err)
}

func (s *Switch) nameVLANs(c *cli.Ctx, name string) error {
	ids, _ := c.S.State().([]uint16)
	var msgs []string
	for _, id := range ids {
		if isDefaultVLAN(id) {
			msgs = append(msgs, fmt.Sprintf("%%Default VLAN %d may not have its name changed.", id))
			continue
		}
		if !s.cfg.vlans.Has(id) {
			// Deleted by another session since this one entered the mode.
			msgs = append(msgs, fmt.Sprintf("%% VLAN %d no longer exists", id))
			continue
		}
		if name == "" {
			delete(s.cfg.vlanNames, id)
		} else {
			s.cfg.vlanNames[id] = name
		}
	}
	if len(msgs) > 0 {
		return errors.New(strings.Join(msgs, "\n"))
	}
	return nil
}

func (s *Switch) showVLAN(c *cli.Ctx, a cli.Args) error {
	ids := s.cfg.vlans.IDs()
	switch {
	case a.Has("summary"):
		ext := 0
		for _, id := range ids {
			if id > 1005 {
				ext++
			}
		}
		c.Printf("Number of existing VLANs          : %d\n", len(ids))
		c.Printf(" Number of existing VTP VLANs     : %d\n", len(ids)-ext)
		c.Printf(" Number of existing extended VLANs : %d\n", ext)
		return nil
	case a.Has("id"):
		id := uint16(a.Int("id"))
		if !s.cfg.vlans.Has(id) {
			return fmt.Errorf("VLAN id %d not found in current VLAN database", id)
		}
		ids = []uint16{id}
	case a.Has("name"):
		want := a.Get("name")
		ids = nil
		for _, id := range s.cfg.vlans.IDs() {
			if s.cfg.vlanName(id) == want {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			return fmt.Errorf("VLAN %s not found in current VLAN database", want)
		}
	}
	members := map[uint16][]string{}
	for _, name := range s.cfg.portNames() {
		p := s.cfg.ports[name]
		if p.mode == engine.Access && !p.routed {
			members[p.accessVLAN] = append(members[p.accessVLAN], name)
		}
	}
	c.Print("\nVLAN Name                             Status    Ports\n")
	c.Print("---- -------------------------------- --------- -------------------------------\n")
	for _, id := range ids {
		status := "active"
		if id >= 1002 && id <= 1005 {
			status = "act/unsup"
		}
		head := fmt.Sprintf("%-4d %-32s %-9s ", id, truncate(s.cfg.vlanName(id), 32), status)
		for i, l := range wrapPorts(members[id], 79-len(head)) {
			if i == 0 {
				c.Print(strings.TrimRight(head+l, " ") + "\n")
			} else {
				c.Print(strings.Repeat(" ", len(head)) + l + "\n")
			}
		}
	}
	if a.Has("brief") {
		return nil
	}
	c.Print("\nVLAN Type  SAID       MTU   Parent RingNo BridgeNo Stp  BrdgMode Trans1 Trans2\n")
	c.Print("---- ----- ---------- ----- ------ ------ -------- ---- -------- ------ ------\n")
	for _, id := range ids {
		typ := "enet"
		switch id {
		case 1002, 1004:
			typ = "fddi"
			if id == 1004 {
				typ = "fdnet"
			}
		case 1003:
			typ = "tr"
		case 1005:
			typ = "trnet"
		}
		c.Printf("%-4d %-5s %-10d %-5d %-6s %-6s %-8s %-4s %-8s %-6d %d\n", id, typ, 100000+int(id), 1500, "-", "-", "-", "-", "-", 0, 0)
	}
	return nil
}

// wrapPorts joins port names with ", " in lines of at most width columns;
// there is always at least one (possibly empty) line.
func wrapPorts(names []string, width int) []string {
	var lines []string
	cur := ""
	for i, n := range names {
		item := n
		if i < len(names)-1 {
			item += ","
		}
		switch {
		case cur == "":
			cur = item
		case len(cur)+1+len(item) > width:
			lines = append(lines, cur)
			cur = item
		default:
			cur += " " + item
		}
	}
	return append(lines, cur)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
