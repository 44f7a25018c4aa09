package switchd

import (
	"slices"
	"strings"
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

// saveVMs writes the record of every VM with a port on the switch. NICs of
// the VM that are not on the switch now keep what their record had.
func (s *Switch) saveVMs() ([]string, error) {
	var written []string
	byVM := map[string][]*port{}
	for _, name := range s.cfg.portNames() {
		if p := s.cfg.ports[name]; p.vm != nil {
			byVM[p.vm.domain] = append(byVM[p.vm.domain], p)
		}
	}
	for domain, ports := range byVM {
		rec, _, err := s.store.ReadVM(domain)
		if err != nil {
			// A record with bad lines still has its good ones in rec.
			s.log.Warn("VM record has errors", "domain", domain, "err", err)
		}
		rec.Domain = domain
		if rec.NICs == nil {
			rec.NICs = map[int][]string{}
		}
		for _, p := range ports {
			rec.NICs[p.vm.nic] = s.vmLines(p)
		}
		if err := s.store.WriteVM(rec); err != nil {
			return written, err
		}
		for _, p := range ports {
			s.markVMSaved(p)
		}
		path, _ := s.store.VMPath(domain)
		written = append(written, path)
	}
	return written, nil
}

// markVMSaved records a VM port's block as equal to its saved record.
func (s *Switch) markVMSaved(p *port) {
	if s.vmSaved == nil {
		s.vmSaved = map[vmBinding][]string{}
	}
	s.vmSaved[*p.vm] = s.vmLines(p)
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
