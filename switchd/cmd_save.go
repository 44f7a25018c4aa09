package switchd

import (
	"fmt"
	"strings"

	"github.com/lisa-go/lisa/cdp"
	"github.com/lisa-go/lisa/cli"
	"github.com/lisa-go/lisa/configstore"
)

func (s *Switch) defineSaving() {
	x := s.exec
	save := func(c *cli.Ctx, a cli.Args) error {
		c.Print("Building configuration...\n")
		files, err := s.save()
		if err != nil {
			return err
		}
		if a.Has("files") {
			for _, f := range files {
				c.Printf("Saved %s\n", f)
			}
		}
		c.Print("[OK]\n")
		return nil
	}
	x.Define(cli.Command{Syntax: "write memory", Priv: privMax,
		Help: map[string]string{"write": "Write running configuration to memory, network, or terminal", "memory": "Write to NV memory"},
		Run:  save})
	x.Define(cli.Command{Syntax: "write", Priv: privMax, Hidden: true, Run: save})
	// swcfgsave uses this form to print the files it wrote.
	x.Define(cli.Command{Syntax: "write memory files", Priv: privMax, Hidden: true,
		Help: map[string]string{"files": "List the files written"}, Run: save})
	x.Define(cli.Command{Syntax: "copy running-config startup-config", Priv: privMax,
		Help: map[string]string{"copy": "Copy from one file to another", "running-config": "Copy from current system configuration", "startup-config": "Copy to startup configuration"},
		Run:  save})
	x.Define(cli.Command{Syntax: "write terminal", Priv: privMax, Pipe: true,
		Help: map[string]string{"terminal": "Write to terminal"},
		Run:  s.showRunning})
	erase := func(c *cli.Ctx, a cli.Args) error {
		ok, err := c.Confirm(fmt.Sprintf("Erasing the startup-config (%s) will remove the saved configuration! Continue? [confirm]", s.store.StartupPath()))
		if err != nil || !ok {
			return err
		}
		if err := s.store.EraseStartup(); err != nil {
			return fmt.Errorf("%%Error erasing %s: %s", s.store.StartupPath(), configstore.Reason(err))
		}
		s.saved = ""
		c.Print("[OK]\nErase of startup-config: complete\n")
		return nil
	}
	x.Define(cli.Command{Syntax: "write erase", Priv: privMax,
		Help: map[string]string{"erase": "Erase NV memory"}, Run: erase})
	x.Define(cli.Command{Syntax: "erase startup-config", Priv: privMax,
		Help: map[string]string{"erase": "Erase a filesystem", "startup-config": "Erase contents of configuration memory"}, Run: erase})

	x.Define(cli.Command{Syntax: "show running-config", Priv: privMax, Pipe: true, Run: s.showRunning})
	x.Define(cli.Command{Syntax: "show running-config interface " + ifSpec, Priv: privMax, Pipe: true,
		Help: map[string]string{"interface": "Show interface configuration"},
		Run:  s.showRunningInterface})
	x.Define(cli.Command{Syntax: "show startup-config", Priv: privMax, Pipe: true,
		Run: func(c *cli.Ctx, a cli.Args) error {
			text, present, err := s.store.ReadStartup()
			if err != nil {
				return fmt.Errorf("%%Error opening %s: %s", s.store.StartupPath(), configstore.Reason(err))
			}
			if !present {
				c.Print("startup-config is not present\n")
			} else {
				c.Print(text)
			}
			c.Print(s.vmRecordsText())
			return nil
		}})
	x.Define(cli.Command{Syntax: "show archive config differences", Priv: privMax, Pipe: true,
		Help: map[string]string{"archive": "Archive of the running configuration information", "config": "Config archive", "differences": "Show the differences between the startup-config and the running-config"},
		Run: func(c *cli.Ctx, a cli.Args) error {
			c.Print(s.archiveDiff())
			return nil
		}})
	x.Define(cli.Command{Syntax: "reload", Priv: privMax, Unlocked: true,
		Help: map[string]string{"reload": "Reinitialise the switch from the startup-config (never reboots the host)"},
		Run:  s.cmdReload})
}

// save writes the startup-config and the records of the VMs whose ports are
// on the switch, and returns the files it wrote.
func (s *Switch) save() ([]string, error) {
	if created, err := s.store.Prepare(); err != nil {
		return nil, fmt.Errorf("%%Error creating %s: %s", s.store.Dir(), configstore.Reason(err))
	} else if created {
		s.log.Info("created the configuration directory", "dir", s.store.Dir())
	}
	text := s.startupText()
	if err := s.store.WriteStartup(text); err != nil {
		return nil, err
	}
	s.saved = text
	vms, err := s.saveVMs()
	return append([]string{s.store.StartupPath()}, vms...), err
}

func (s *Switch) showRunning(c *cli.Ctx, a cli.Args) error {
	body := s.runningText()
	c.Printf("Building configuration...\n\nCurrent configuration : %d bytes\n%s\n", len(body), body)
	return nil
}

func (s *Switch) showRunningInterface(c *cli.Ctx, a cli.Args) error {
	ref, err := s.resolveIf(a)
	if err != nil {
		return err
	}
	for _, sec := range s.render() {
		if sec.iface == ref.display() {
			body := "!\n" + strings.Join(sec.lines, "\n") + "\nend\n"
			c.Printf("Building configuration...\n\nCurrent configuration : %d bytes\n%s\n", len(body), body)
			return nil
		}
	}
	return fmt.Errorf("%% Interface %s is not on the switch", ref.display())
}

// modified reports whether the running-config differs from the saved one.
func (s *Switch) modified() bool { return s.startupText() != s.saved || s.vmsModified() }

func (s *Switch) cmdReload(c *cli.Ctx, a cli.Args) error {
	s.mu.Lock()
	modified := s.modified()
	s.mu.Unlock()
	if modified {
		for tries := 0; ; tries++ {
			ans, err := c.Ask("System configuration has been modified. Save? [yes/no]: ")
			if err != nil {
				return err
			}
			ans = strings.ToLower(strings.TrimSpace(ans))
			if ans == "yes" || ans == "y" {
				c.Print("Building configuration...\n")
				s.mu.Lock()
				_, err := s.save()
				s.mu.Unlock()
				if err != nil {
					return err
				}
				c.Print("[OK]\n")
				break
			}
			if ans == "no" || ans == "n" {
				break
			}
			if tries == 2 {
				return fmt.Errorf("%% Reload aborted")
			}
			c.Print("% Please answer 'yes' or 'no'.\n")
		}
	}
	ok, err := c.Confirm("Proceed with reload? [confirm]")
	if err != nil || !ok {
		return err
	}
	who := "unknown"
	if l, isLine := c.S.Info.(*line); isLine {
		who = l.userOr("unknown") + " on " + l.name()
	}
	s.logEvent("SYS", 5, "RELOAD", "Reload requested by "+who+". Reload Reason: Reload Command.")
	s.mu.Lock()
	errs := s.reinit()
	s.mu.Unlock()
	c.Printf("Running-config reinitialised from the startup-config (%d errors).\n", len(errs))
	for _, e := range errs {
		c.Printf("%s:%d: %s\n", configstore.StartupFile, e.Line, e.Message)
	}
	return nil
}

// reinit returns every setting to its default and loads the startup-config
// again. The caller holds the lock.
func (s *Switch) reinit() []cli.ReplayError {
	// VM ports are not in the startup-config: they come back afterwards
	// with their VMs' saved blocks, as when their VMs start.
	vmPorts := map[string]vmBinding{}
	for name, p := range s.cfg.ports {
		if p.vm != nil {
			vmPorts[name] = *p.vm
		}
	}
	for _, name := range s.cfg.portNames() {
		s.removePort(name)
	}
	for _, id := range s.cfg.sviIDs() {
		if err := s.eng.RemoveSVI(id); err != nil {
			s.log.Warn("removing VLAN interface", "vlan", id, "err", err)
		}
	}
	for _, st := range s.cfg.statics {
		s.eng.RemoveStatic(st.mac, st.vlan)
	}
	s.cfg = newConfig()
	s.publishLogTime()
	s.cfg.aging = s.agingDefault()
	s.resetAccess()
	s.logs.reset()
	def := cdp.DefaultSettings()
	s.cdp.SetRun(def.Run)
	s.cdp.SetTimer(def.Timer)
	s.cdp.SetHoldtime(def.Holdtime)
	s.cdp.SetAdvertiseV2(def.AdvertiseV2)
	s.applyAll()
	s.addressesChanged()
	errs := s.loadStartupLocked()
	names := make([]string, 0, len(vmPorts))
	for n := range vmPorts {
		names = append(names, n)
	}
	sortIfNames(names)
	for _, n := range names {
		s.reattachVM(n, vmPorts[n])
	}
	s.saveBindings()
	return errs
}

// LoadStartup applies the startup-config; each line that fails is logged
// with its line number and returned, and the rest still loads.
func (s *Switch) LoadStartup() []cli.ReplayError {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.loadStartupLocked()
}

func (s *Switch) loadStartupLocked() []cli.ReplayError {
	text, present, err := s.store.ReadStartup()
	if err != nil {
		s.log.Error("reading the startup-config", "err", err)
		return nil
	}
	if !present {
		s.saved = ""
		return nil
	}
	errs := s.replayLocked(text)
	for _, e := range errs {
		s.log.Warn("startup-config line failed", "file", s.store.StartupPath(), "line", e.Line, "text", strings.TrimSpace(e.Text), "error", e.Message)
	}
	s.saved = s.startupText()
	return errs
}

// replayLocked runs configuration text at level 15; the caller holds the lock,
// so the session runs its commands without taking it again.
func (s *Switch) replayLocked(text string) []cli.ReplayError {
	env := *s.env
	env.Lock = noLock{}
	env.AfterCommand, env.ModeChanged = nil, nil
	sess := cli.NewSession(&env, privMax)
	return sess.Replay(text)
}

type noLock struct{}

func (noLock) Lock()   {}
func (noLock) Unlock() {}

// archiveDiff is show archive config differences: the startup-config against
// the running one, and each VM port against its VM's saved block.
func (s *Switch) archiveDiff() string {
	body := contextualDiff(s.saved, s.startupText())
	for _, name := range s.cfg.portNames() {
		p := s.cfg.ports[name]
		if p.vm == nil {
			continue
		}
		removed, added := lineDiff(s.vmSaved[*p.vm], s.vmLines(p))
		if len(removed)+len(added) == 0 {
			continue
		}
		body += fmt.Sprintf("interface %s\n !vm %s nic %d\n", name, p.vm.domain, p.vm.nic)
		for _, l := range removed {
			body += " -" + l + "\n"
		}
		for _, l := range added {
			body += " +" + l + "\n"
		}
	}
	if body == "" {
		return "!Contextual Config Diffs:\n!No changes were found\n"
	}
	return "Contextual Config Diffs:\n" + body
}

// contextualDiff shows what changed between two configurations, IOS style:
// whole blocks with +/- when added or removed, the block's first line and
// the changed lines inside a block that changed. "" means no change.
func contextualDiff(old, cur string) string {
	ob, oorder := blocks(old)
	nb, norder := blocks(cur)
	var b strings.Builder
	changed := false
	for _, head := range oorder {
		if _, ok := nb[head]; !ok {
			changed = true
			b.WriteString("-" + head + "\n")
			for _, l := range ob[head] {
				b.WriteString(" -" + strings.TrimPrefix(l, " ") + "\n")
			}
		}
	}
	for _, head := range norder {
		oldBody, ok := ob[head]
		if !ok {
			changed = true
			b.WriteString("+" + head + "\n")
			for _, l := range nb[head] {
				b.WriteString(" +" + strings.TrimPrefix(l, " ") + "\n")
			}
			continue
		}
		removed, added := lineDiff(oldBody, nb[head])
		if len(removed)+len(added) == 0 {
			continue
		}
		changed = true
		b.WriteString(head + "\n")
		for _, l := range removed {
			b.WriteString(" -" + strings.TrimPrefix(l, " ") + "\n")
		}
		for _, l := range added {
			b.WriteString(" +" + strings.TrimPrefix(l, " ") + "\n")
		}
	}
	if !changed {
		return ""
	}
	return b.String()
}

// blocks splits configuration text into its unindented lines and the
// indented lines under each.
func blocks(text string) (map[string][]string, []string) {
	m := map[string][]string{}
	var order []string
	cur := ""
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "!") || t == "end" {
			continue
		}
		if l[0] == ' ' {
			if cur != "" {
				m[cur] = append(m[cur], l)
			}
			continue
		}
		cur = l
		if _, seen := m[cur]; !seen {
			order = append(order, cur)
			m[cur] = nil
		}
	}
	return m, order
}

func lineDiff(old, cur []string) (removed, added []string) {
	in := func(set []string, l string) bool {
		for _, x := range set {
			if x == l {
				return true
			}
		}
		return false
	}
	for _, l := range old {
		if !in(cur, l) {
			removed = append(removed, l)
		}
	}
	for _, l := range cur {
		if !in(old, l) {
			added = append(added, l)
		}
	}
	return removed, added
}
