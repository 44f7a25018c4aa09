package switchd

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/lisa-go/lisa/configstore"
)

// vmLines is a VM port's block as stored in the VM's record: the indented
// lines of its interface block without their leading space.
func (s *Switch) vmLines(p *port) []string {
	lines := s.portLines(p, false)
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimPrefix(l, " ")
	}
	return out
}

// saveVMs writes the record of every VM with a port on the switch and
// returns the files written.
func (s *Switch) saveVMs() ([]string, error) {
	byVM := map[string][]*port{}
	for _, p := range s.cfg.ports {
		if p.vm != nil {
			byVM[p.vm.domain] = append(byVM[p.vm.domain], p)
		}
	}
	domains := make([]string, 0, len(byVM))
	for d := range byVM {
		domains = append(domains, d)
	}
	sort.Strings(domains)
	var written []string
	for _, d := range domains {
		path, err := s.writeVMRecord(d, byVM[d])
		if err != nil {
			return written, err
		}
		written = append(written, path)
	}
	return written, nil
}

// recordLines is what a VM port saves: its block, and the lines of its saved
// block that did not apply when it was loaded (kept, so nothing is lost).
func (s *Switch) recordLines(p *port) []string {
	lines := s.vmLines(p)
	for _, l := range s.vmUnapplied[*p.vm] {
		if !slices.Contains(lines, l) {
			lines = append(lines, l)
		}
	}
	return lines
}

// writeVMRecord saves the blocks of a VM's ports in its record. NICs of the
// VM that are not on the switch now keep what the record had. When a NIC has
// two ports (an HVM guest's vif and its emulated twin), the vif's block is
// the one saved.
func (s *Switch) writeVMRecord(domain string, ports []*port) (string, error) {
	rec, _, err := s.store.ReadVM(domain)
	var perr *configstore.ParseError
	if err != nil && !errors.As(err, &perr) {
		return "", fmt.Errorf("%%Error reading the record of VM %s: %s", domain, configstore.Reason(err))
	}
	if perr != nil {
		// The good lines are in rec; the bad ones are replaced.
		s.log.Warn("VM record had bad lines", "vm", domain, "err", err)
	}
	rec.Domain = domain
	if rec.NICs == nil {
		rec.NICs = map[int][]string{}
	}
	sort.Slice(ports, func(i, j int) bool { return ports[i].name > ports[j].name }) // vif5.0 after vif5.0-emu
	for _, p := range ports {
		rec.NICs[p.vm.nic] = s.recordLines(p)
	}
	if err := s.store.WriteVM(rec); err != nil {
		return "", err
	}
	for _, p := range ports {
		s.markVMSaved(p)
	}
	path, _ := s.store.VMPath(domain)
	return path, nil
}

// markVMSaved records a VM port's block as equal to its saved record.
func (s *Switch) markVMSaved(p *port) {
	if s.vmSaved == nil {
		s.vmSaved = map[vmBinding][]string{}
	}
	s.vmSaved[*p.vm] = s.vmLines(p)
	s.saveBindings()
}

// vmsModified reports whether a VM port differs from its VM's record.
func (s *Switch) vmsModified() bool {
	for _, p := range s.cfg.ports {
		if p.vm == nil {
			continue
		}
		saved, ok := s.vmSaved[*p.vm]
		if !ok && len(s.vmLines(p)) > 0 || ok && !slices.Equal(saved, s.vmLines(p)) {
			return true
		}
	}
	return false
}

// bindingsFile keeps, in the run directory, which interface is which VM's
// NIC and what its block was, so a restarted lisad (crash, upgrade) finds the
// VMs' interfaces again while the VMs keep running.
const bindingsFile = "vm-bindings.json"

type bindingRecord struct {
	Interface string   `json:"interface"`
	VM        string   `json:"vm"`
	NIC       int      `json:"nic"`
	Running   []string `json:"running"` // the block as last configured
}

// saveBindings writes the binding state; errors are logged, never fatal.
// Caller holds the lock.
func (s *Switch) saveBindings() {
	if s.opts.RunDir == "" {
		return
	}
	recs := []bindingRecord{}
	for _, n := range s.cfg.portNames() {
		if p := s.cfg.ports[n]; p.vm != nil {
			recs = append(recs, bindingRecord{Interface: n, VM: p.vm.domain, NIC: p.vm.nic, Running: s.vmLines(p)})
		}
	}
	b, _ := json.MarshalIndent(recs, "", "  ")
	if string(b) == s.lastBindings {
		return
	}
	if err := configstore.WriteFileAtomic(filepath.Join(s.opts.RunDir, bindingsFile), b, 0o600); err != nil {
		s.log.Warn("saving VM bindings", "err", err)
		return
	}
	s.lastBindings = string(b)
}

// RestoreBindings re-attaches the VM interfaces a previous lisad had, when
// their netdevs still exist, and applies their VMs' saved configuration. It
// logs the unsaved changes that were lost with the previous process.
func (s *Switch) RestoreBindings() {
	if s.opts.RunDir == "" {
		return
	}
	b, err := os.ReadFile(filepath.Join(s.opts.RunDir, bindingsFile))
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			s.log.Warn("reading VM bindings", "err", err)
		}
		return
	}
	var recs []bindingRecord
	if err := json.Unmarshal(b, &recs); err != nil {
		s.log.Warn("VM bindings file is damaged; VMs will be attached again by their hotplug scripts", "err", err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range recs {
		if !s.reattachVM(r.Interface, vmBinding{domain: r.VM, nic: r.NIC}) {
			continue
		}
		if now := s.vmLines(s.cfg.ports[r.Interface]); !slices.Equal(now, r.Running) {
			s.log.Warn("unsaved changes of a VM port were lost with the previous lisad",
				"interface", r.Interface, "vm", r.VM, "nic", r.NIC,
				"lost", strings.Join(r.Running, "; "), "restored", strings.Join(now, "; "))
		}
	}
	s.saveBindings()
}

// reattachVM puts a VM's interface back on the switch with its saved block,
// if the netdev is still there. Caller holds the lock.
func (s *Switch) reattachVM(name string, b vmBinding) bool {
	msgs, err := s.loadVMPort(name, b, true)
	if err != nil {
		s.log.Info("VM interface not restored", "interface", name, "vm", b.domain, "nic", b.nic, "reason", err.Error())
		return false
	}
	for _, m := range msgs {
		s.log.Warn("restoring a VM port", "interface", name, "error", m)
	}
	s.log.Info("VM interface restored", "interface", name, "vm", b.domain, "nic", b.nic)
	return true
}

// vmPortsChanged is the post-command hook of the configuration modes: it
// makes the two interfaces of an HVM NIC alike again and rewrites the
// bindings file when a VM port's block changed, so a restarted lisad can
// tell which unsaved changes it lost. It renders only the VM ports' blocks;
// the file is written (atomically) only when they differ from what it holds.
func (s *Switch) vmPortsChanged() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.syncTwins()
	s.saveBindings()
}

// vmPortCommand is vmPortsChanged after a command on interface name: work
// only when that interface is a VM's.
func (s *Switch) vmPortCommand(name string) {
	s.mu.Lock()
	p := s.cfg.ports[name]
	vm := p != nil && p.vm != nil
	s.mu.Unlock()
	if vm {
		s.vmPortsChanged()
	}
}

// boundTwin returns the other interface of an HVM guest's NIC: vifD.N for
// vifD.N-emu and the reverse, when it is on the switch bound to the same VM
// NIC as p; else nil.
func (s *Switch) boundTwin(p *port) *port {
	if p.vm == nil {
		return nil
	}
	name := p.name + "-emu"
	if strings.HasSuffix(p.name, "-emu") {
		name = strings.TrimSuffix(p.name, "-emu")
	}
	if t := s.cfg.ports[name]; t != nil && t.vm != nil && *t.vm == *p.vm {
		return t
	}
	return nil
}

// syncTwins keeps the two interfaces of each HVM NIC (vifD.N and its
// emulated twin vifD.N-emu, bound to the same VM NIC) configured alike: the
// one whose block changed since the last call is copied onto the other; the
// vif wins when both changed. Caller holds the lock.
func (s *Switch) syncTwins() {
	seen := map[vmBinding]bool{}
	for name, emu := range s.cfg.ports {
		if !strings.HasSuffix(name, "-emu") {
			continue
		}
		vif := s.boundTwin(emu)
		if vif == nil {
			continue
		}
		b := *vif.vm
		seen[b] = true
		vl, el := strings.Join(s.vmLines(vif), "\n"), strings.Join(s.vmLines(emu), "\n")
		if vl != el {
			if last, ok := s.twinLines[b]; ok && vl == last {
				s.copyPortConfig(vif, emu) // the emulated NIC was configured
				vl = el
			} else {
				s.copyPortConfig(emu, vif)
			}
		}
		if s.twinLines == nil {
			s.twinLines = map[vmBinding]string{}
		}
		s.twinLines[b] = vl
	}
	for b := range s.twinLines {
		if !seen[b] {
			delete(s.twinLines, b)
		}
	}
}

// copyPortConfig gives dst the configuration of src (not its name or
// binding) and applies it. Caller holds the lock.
func (s *Switch) copyPortConfig(dst, src *port) {
	name, vm, hostMTU := dst.name, dst.vm, dst.hostMTU
	addrs, addrs6 := dst.addrs, dst.addrs6
	link := dst.speed != src.speed || dst.duplex != src.duplex
	*dst = *src
	// Addresses belong to one netdev: a twin keeps its own (none, usually)
	// rather than sharing src's slices and prefixes.
	dst.name, dst.vm, dst.addrs, dst.addrs6, dst.hostMTU = name, vm, addrs, addrs6, hostMTU
	if link {
		s.applyLinkSettings(dst)
	}
	if err := s.applyMTU(dst); err != nil {
		s.log.Warn("copying the MTU of an HVM NIC's twin", "from", src.name, "to", dst.name, "err", err)
	}
	if err := s.applyPort(dst); err != nil {
		s.log.Warn("copying the configuration of an HVM NIC's twin", "from", src.name, "to", dst.name, "err", err)
	}
	s.cdpPort(dst)
	if s.twinLines == nil {
		s.twinLines = map[vmBinding]string{}
	}
	if dst.vm != nil {
		s.twinLines[*dst.vm] = strings.Join(s.vmLines(dst), "\n")
	}
}

// vmRecordsText is what show startup-config adds after config.text: every
// VM's record as comment lines ("! " before each line of the file), so the
// output replays as the startup-config alone (VM blocks are applied when the
// VMs' interfaces come up, never from config.text). "" when there is none.
func (s *Switch) vmRecordsText() string {
	names, err := s.store.ListVMs()
	if err != nil {
		return "! " + err.Error() + "\n"
	}
	if len(names) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "!\n! Per-VM port configuration (%s/), applied when a VM's interfaces come up:\n", s.store.TagsDir())
	for _, d := range names {
		rec, _, err := s.store.ReadVM(d)
		text, ferr := configstore.FormatVM(rec)
		if err == nil {
			err = ferr
		}
		b.WriteString("!\n")
		if err != nil {
			fmt.Fprintf(&b, "! VM %s: %s\n", d, strings.ReplaceAll(configstore.Reason(err), "\n", " "))
			if ferr != nil {
				continue
			}
		}
		for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
			b.WriteString("! " + l + "\n")
		}
	}
	return b.String()
}
