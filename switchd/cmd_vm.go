package switchd

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/lisa-go/lisa/cli"
	"github.com/lisa-go/lisa/configstore"
)

func (s *Switch) defineVM() {
	vmHelp := map[string]string{
		"vm":          "Virtual machine port configuration",
		"WORD":        "VM (domain) name",
		"nic":         "NIC index of the VM (the N of vifD.N)",
		"<0-1023>":    "NIC index",
		"load":        "Apply a VM's saved port configuration to an interface",
		"missing-ok":  "A VM without saved configuration is not an error",
		"description": "Also set the interface's description",
		"LINE":        "Description",
		"IFNAME":      "The VM's interface (e.g. vif5.0)",
	}
	s.ifMode.Define(cli.Command{Syntax: "vm WORD nic <0-1023>", Priv: privMax, Class: classPort, Help: vmHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			p, err := s.currentPort(c)
			if err != nil {
				return err
			}
			return s.bindVM(p, vmBinding{domain: a.Get("vm"), nic: a.Int("nic")})
		}})
	s.ifMode.Define(cli.Command{Syntax: "no vm", Priv: privMax, Class: classPort, Help: vmHelp,
		Run: func(c *cli.Ctx, a cli.Args) error {
			p, err := s.currentPort(c)
			if err != nil {
				return err
			}
			p.vm = nil
			s.saveBindings()
			return nil
		}})
	// The VM's name follows the interface with no keyword beside it, so a
	// name such as "d" or "m" is never taken for "description" or "missing-ok".
	s.exec.Define(cli.Command{Syntax: "vm load IFNAME$if WORD$domain nic <0-1023> [missing-ok] [description LINE]", Priv: privMax, Help: vmHelp,
		Run: s.cmdVMLoad})
	s.exec.Define(cli.Command{Syntax: "show vm [WORD]", Pipe: true,
		Help: map[string]string{"vm": "Virtual machines with ports on the switch or saved configuration", "WORD": "VM (domain) name"},
		Run:  s.showVM})
	s.exec.Define(cli.Command{Syntax: "show vm json", Pipe: true, Hidden: true,
		Help: map[string]string{"json": "Machine-readable output (swctl show --json)"},
		Run:  s.showVMJSON})
	s.exec.Define(cli.Command{Syntax: "clear vm WORD config", Priv: privMax,
		Help: map[string]string{"vm": "Virtual machine", "WORD": "VM (domain) name", "config": "Delete the VM's saved port configuration"},
		Run: func(c *cli.Ctx, a cli.Args) error {
			domain := a.Get("vm")
			if err := configstore.ValidateDomain(domain); err != nil {
				return fmt.Errorf("%% %v", err)
			}
			if _, present, _ := s.store.ReadVM(domain); !present {
				return fmt.Errorf("%% VM %s has no saved configuration", domain)
			}
			ok, err := c.Confirm(fmt.Sprintf("Delete the saved port configuration of VM %s? [confirm]", domain))
			if err != nil || !ok {
				return err
			}
			if err := s.store.DeleteVM(domain); err != nil {
				return fmt.Errorf("%%Error deleting the record of VM %s: %s", domain, configstore.Reason(err))
			}
			for b := range s.vmSaved {
				if b.domain == domain {
					delete(s.vmSaved, b)
				}
			}
			return nil
		}})
	s.exec.Define(cli.Command{Syntax: "write memory vm WORD", Priv: privMax,
		Help: map[string]string{"vm": "Save only one VM's port configuration", "WORD": "VM (domain) name"},
		Run: func(c *cli.Ctx, a cli.Args) error {
			path, err := s.saveVM(a.Get("vm"))
			if err != nil {
				return err
			}
			c.Printf("Saved %s\n[OK]\n", path)
			return nil
		}})
}

// bindVM ties a port to a VM's NIC. A NIC has one interface: while another
// interface still on the switch is bound to it, the binding is refused (a
// netdev that is gone has left the switch already). The emulated NIC of an
// HVM guest (vifD.N-emu) is the same NIC as vifD.N: the two share it, and an
// interface joining its bound twin takes the twin's configuration. Binding
// a port to the NIC it already has changes nothing.
func (s *Switch) bindVM(p *port, b vmBinding) error {
	if err := s.vmConflict(p.name, b); err != nil {
		return err
	}
	if p.vm != nil && *p.vm == b {
		return nil
	}
	p.vm = &b
	if t := s.boundTwin(p); t != nil {
		s.copyPortConfig(p, t)
	}
	s.saveBindings()
	return nil
}

// vmConflict says why interface name cannot be bound to a VM's NIC: a bad
// domain name, or another interface on the switch holding the NIC (its
// HVM twin excepted).
func (s *Switch) vmConflict(name string, b vmBinding) error {
	if err := configstore.ValidateDomain(b.domain); err != nil {
		return fmt.Errorf("%% %v", err)
	}
	for _, other := range s.cfg.ports {
		if other.name != name && other.vm != nil && *other.vm == b && !twinPorts(other.name, name) {
			return fmt.Errorf("%% NIC %d of VM %s is bound to %s, which is still on the switch; remove %s (or unbind it with \"no vm\") first", b.nic, b.domain, other.name, other.name)
		}
	}
	return nil
}

// twinPorts reports whether two interfaces are the netback vif and the
// emulated NIC of the same HVM guest NIC (vif5.0 and vif5.0-emu).
func twinPorts(a, b string) bool {
	return strings.TrimSuffix(a, "-emu") == strings.TrimSuffix(b, "-emu")
}

// cmdVMLoad applies a VM's saved block to an interface (what vif-lisa does
// through swcfgload when a VM's NIC appears).
func (s *Switch) cmdVMLoad(c *cli.Ctx, a cli.Args) error {
	b := vmBinding{domain: a.Get("domain"), nic: a.Int("nic")}
	msgs, err := s.loadVMPort(a.Get("if"), b, a.Has("missing-ok"))
	if err != nil {
		return err
	}
	if d, ok := a.Lookup("description"); ok {
		s.cfg.ports[a.Get("if")].description = d
	}
	if len(msgs) > 0 {
		return errors.New(strings.Join(msgs, "\n"))
	}
	return nil
}

// loadVMPort makes netdev name a switch port bound to a VM's NIC, reset to
// the defaults and given the NIC's saved block, so running it twice gives the
// same result; an HVM twin bound to the same NIC gets the block too (vif-lisa
// does not call it for an interface that already has the binding, so a
// repeated "online" keeps live changes). A VM without a saved block
// for the NIC is an error unless missingOK; then, as when the record cannot
// be read, nothing changes. It returns a message per saved line that did not
// apply; those lines stay in the record. Caller holds the lock.
func (s *Switch) loadVMPort(name string, b vmBinding, missingOK bool) ([]string, error) {
	if err := s.vmConflict(name, b); err != nil {
		return nil, err
	}
	rec, present, err := s.store.ReadVM(b.domain)
	var perr *configstore.ParseError
	if err != nil && !errors.As(err, &perr) {
		return nil, fmt.Errorf("%%Error reading the record of VM %s: %s", b.domain, configstore.Reason(err))
	}
	lines, ok := rec.NICs[b.nic]
	if (!present || !ok) && !missingOK {
		return nil, fmt.Errorf("%% VM %s has no saved configuration for NIC %d", b.domain, b.nic)
	}
	p, err := s.addPort(name)
	if err != nil {
		return nil, err
	}
	if err := s.bindVM(p, b); err != nil {
		return nil, err
	}
	failed, msgs := s.applyVMBlock(p, lines)
	if perr != nil {
		for _, le := range perr.Lines {
			msgs = append(msgs, fmt.Sprintf("%s:%d: %s", perr.Path, le.Line, le.Msg))
		}
	}
	if len(failed) > 0 {
		s.vmUnapplied[b] = failed
	} else {
		delete(s.vmUnapplied, b)
	}
	s.markVMSaved(p)
	if t := s.boundTwin(p); t != nil {
		// One NIC, one configuration: the twin gets the block too.
		s.copyPortConfig(t, p)
	}
	return msgs, nil
}

// applyVMBlock resets a port to the defaults and runs a VM block's lines on
// it. It returns the lines that failed and a message for each. Caller holds
// the lock.
func (s *Switch) applyVMBlock(p *port, lines []string) (failed, msgs []string) {
	s.autoLinkSettings(p)
	if err := s.clearPortAddrs(p); err != nil { // a routed port's
		s.log.Warn("removing port addresses", "port", p.name, "err", err)
	}
	fresh := newPort(p.name)
	fresh.vm, fresh.hostMTU = p.vm, p.hostMTU
	*p = *fresh
	if err := s.applyMTU(p); err != nil {
		s.log.Warn("resetting a port's MTU", "port", p.name, "err", err)
	}
	if err := s.applyPort(p); err != nil {
		return nil, []string{fmt.Sprintf("%% %v", err)}
	}
	env := *s.env
	env.Lock = noLock{}
	env.AfterCommand, env.ModeChanged = nil, nil
	sess := cli.NewSession(&env, privMax)
	var text strings.Builder
	text.WriteString("interface " + p.name + "\n")
	for _, l := range lines {
		text.WriteString(" " + l + "\n")
	}
	for _, e := range sess.Replay(text.String()) {
		l := strings.TrimSpace(e.Text)
		failed = append(failed, l)
		msgs = append(msgs, fmt.Sprintf("VM %s NIC %d line %d (%s): %s", p.vm.domain, p.vm.nic, e.Line-1, l, e.Message))
	}
	s.cdpPort(p)
	return failed, msgs
}

// saveVM writes one VM's record.
func (s *Switch) saveVM(domain string) (string, error) {
	if err := configstore.ValidateDomain(domain); err != nil {
		return "", fmt.Errorf("%% %v", err)
	}
	if _, err := s.store.Prepare(); err != nil {
		return "", fmt.Errorf("%%Error creating %s: %s", s.store.Dir(), configstore.Reason(err))
	}
	var ports []*port
	for _, p := range s.cfg.ports {
		if p.vm != nil && p.vm.domain == domain {
			ports = append(ports, p)
		}
	}
	if len(ports) == 0 {
		return "", fmt.Errorf("%% VM %s has no port on the switch", domain)
	}
	return s.writeVMRecord(domain, ports)
}

type vmRow struct {
	Domain    string `json:"vm"`
	NIC       int    `json:"nic"`
	Interface string `json:"interface,omitempty"`
	// Interfaces are all the NIC's interfaces: the vif and, for an HVM
	// guest, its emulated twin (vifD.N-emu), which share one configuration.
	Interfaces []string `json:"interfaces,omitempty"`
	Status     string   `json:"status"`
}

// vmRows lists every VM NIC the switch knows: attached ones and saved ones.
func (s *Switch) vmRows(only string) []vmRow {
	rows := map[vmBinding]*vmRow{}
	for _, name := range s.cfg.portNames() { // vifD.N before vifD.N-emu
		p := s.cfg.ports[name]
		if p.vm == nil || only != "" && p.vm.domain != only {
			continue
		}
		if r := rows[*p.vm]; r != nil {
			r.Interfaces = append(r.Interfaces, p.name)
			continue
		}
		st := "saved"
		if n := len(s.vmUnapplied[*p.vm]); n > 0 {
			st = fmt.Sprintf("saved (%d lines did not apply)", n)
		}
		saved, ok := s.vmSaved[*p.vm]
		switch {
		case !ok && len(s.vmLines(p)) > 0:
			st = "not saved"
		case !ok:
			st = "default"
		case strings.Join(saved, "\n") != strings.Join(s.vmLines(p), "\n"):
			st = "unsaved changes"
		}
		rows[*p.vm] = &vmRow{Domain: p.vm.domain, NIC: p.vm.nic, Interface: p.name, Interfaces: []string{p.name}, Status: st}
	}
	names, _ := s.store.ListVMs()
	for _, d := range names {
		if only != "" && d != only {
			continue
		}
		rec, _, _ := s.store.ReadVM(d)
		for nic := range rec.NICs {
			b := vmBinding{domain: d, nic: nic}
			if rows[b] == nil {
				rows[b] = &vmRow{Domain: d, NIC: nic, Status: "offline (saved)"}
			}
		}
	}
	out := make([]vmRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Domain != out[j].Domain {
			return out[i].Domain < out[j].Domain
		}
		return out[i].NIC < out[j].NIC
	})
	return out
}

// showVM lists the VMs' NICs. Columns grow to fit the longest VM and
// interface names; an HVM NIC's two interfaces share one row.
func (s *Switch) showVM(c *cli.Ctx, a cli.Args) error {
	rows := s.vmRows(a.Get("vm"))
	if len(rows) == 0 {
		if a.Get("vm") != "" {
			return fmt.Errorf("%% VM %s is not known", a.Get("vm"))
		}
		c.Print("No VM ports and no saved VM records (vm NAME nic N binds a port, swctl attach does it from a script)\n")
		return nil
	}
	ifaces := make([]string, len(rows))
	vmW, ifW := 20, 16
	for i, r := range rows {
		ifaces[i] = strings.Join(r.Interfaces, ",")
		if ifaces[i] == "" {
			ifaces[i] = "-"
		}
		vmW, ifW = max(vmW, len(r.Domain)), max(ifW, len(ifaces[i]))
	}
	c.Printf("%-*s NIC  %-*s Status\n", vmW, "VM", ifW, "Interface")
	c.Printf("%s ---- %s ------------------\n", strings.Repeat("-", vmW), strings.Repeat("-", ifW))
	for i, r := range rows {
		c.Printf("%-*s %-4d %-*s %s\n", vmW, r.Domain, r.NIC, ifW, ifaces[i], r.Status)
	}
	return nil
}

func (s *Switch) showVMJSON(c *cli.Ctx, a cli.Args) error {
	type portRow struct {
		Interface string `json:"interface"`
		Mode      string `json:"mode"`
		VLAN      int    `json:"access_vlan"`
		Native    int    `json:"native_vlan"`
		Allowed   string `json:"allowed_vlans"`
		Shutdown  bool   `json:"shutdown"`
		VM        string `json:"vm,omitempty"`
		NIC       *int   `json:"nic,omitempty"`
	}
	var out struct {
		Ports []portRow `json:"ports"`
		VMs   []vmRow   `json:"vms"`
	}
	out.Ports = []portRow{}
	for _, n := range s.cfg.portNames() {
		p := s.cfg.ports[n]
		r := portRow{Interface: n, Mode: p.mode.String(), VLAN: int(p.accessVLAN), Native: int(p.nativeVLAN), Allowed: allowedString(p.allowed), Shutdown: p.shutdown}
		if p.vm != nil {
			nic := p.vm.nic
			r.VM, r.NIC = p.vm.domain, &nic
		}
		out.Ports = append(out.Ports, r)
	}
	out.VMs = s.vmRows("")
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	c.Print(string(b) + "\n")
	return nil
}
