package switchd

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lisa-go/lisa/cdp"
	"github.com/lisa-go/lisa/cli"
	"github.com/lisa-go/lisa/clockzone"
	"github.com/lisa-go/lisa/configstore"
	"github.com/lisa-go/lisa/engine"
	"github.com/lisa-go/lisa/syslogout"
)

// Version is the software version shown by show version and announced by CDP.
var Version = "0.1.0"

// Options configure a Switch.
type Options struct {
	// Engine switches the frames; required.
	Engine *engine.Engine
	// Store holds the startup-config and the per-VM records; required.
	Store *configstore.Store
	// Logger receives operational logs; nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Kernel describes the host's kernel for show version ("" = read
	// /proc/sys/kernel/{osrelease,version}).
	Kernel string
	// Platform is the machine type ("" = runtime.GOARCH).
	Platform string
	// RunDir holds state that must outlive a lisad restart but not a host
	// reboot (which interface is which VM's NIC); "" keeps none.
	RunDir string
	// Gateway installs ip default-gateway; nil refuses the command.
	Gateway ManagementRouter
	// Ping opens the ICMP socket of the ping command; nil refuses it.
	Ping OpenEchoer
	// ClockSync reads the host clock's NTP state (show ntp status); nil is
	// the kernel's (adjtimex).
	ClockSync func() (clockzone.Sync, error)
}

// Switch is the switch: the running configuration, the IOS command set that
// edits it and the packet engine that carries it out. One lock serialises
// every command of every session; the packet path never takes it.
type Switch struct {
	mu    sync.Mutex
	eng   *engine.Engine
	store *configstore.Store
	log   *slog.Logger
	now   func() time.Time
	opts  Options

	cfg     *config
	started time.Time
	// saved is the configuration text last loaded from or written to the
	// startup-config (what "modified" is measured against).
	saved string
	// vmSaved holds, per VM NIC, the block last loaded from or written to
	// the VM's record.
	vmSaved map[vmBinding][]string
	// vmUnapplied holds, per VM NIC, saved lines that failed to apply when
	// the block was loaded: they stay in the record, nothing is lost.
	vmUnapplied map[vmBinding][]string
	// defaultAging is lisad.toml's MAC aging time, if it sets one.
	defaultAging *int
	// lastBindings is what saveBindings last wrote.
	lastBindings string
	// twinLines holds, per HVM NIC with two interfaces, the block both had
	// when syncTwins last made them equal.
	twinLines map[vmBinding]string

	interp *cli.Interpreter
	exec   *cli.Mode
	conf   *cli.Mode
	ifMode *cli.Mode
	vlMode *cli.Mode
	env    *cli.Env

	lines *lineTable
	// logs is the logging buffer and the logging settings.
	logs logBuffer
	// remote is the remote access: lines, users, banners, SSH and telnet.
	remote *remoteAccess
	cdp    *cdp.Agent
	// stopCDP ends the agent's timers.
	stopCDP context.CancelFunc
	// closed ends the engine watcher (Close).
	closed    chan struct{}
	closeOnce sync.Once
	// hostnameCopy lets prompts read the hostname without the lock.
	hostnameCopy atomic.Pointer[string]
	// logTime is the clock and timestamp format log lines use: logEvent
	// runs with and without the lock, so it reads a published copy.
	logTime atomic.Pointer[logTimeState]
	// syslog sends log lines to the logging hosts; syslogCount numbers
	// them, as IOS does.
	syslog      *syslogout.Sender
	syslogCount atomic.Uint64
}

// New creates a switch with the default configuration; call LoadStartup to
// apply the startup-config.
func New(o Options) (*Switch, error) {
	if o.Engine == nil || o.Store == nil {
		return nil, fmt.Errorf("switchd: Engine and Store are required")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ClockSync == nil {
		o.ClockSync = clockzone.KernelSync
	}
	if o.Kernel == "" {
		o.Kernel = kernelVersion()
	}
	if o.Platform == "" {
		o.Platform = runtime.GOARCH
	}
	s := &Switch{eng: o.Engine, store: o.Store, log: o.Logger, now: o.Now, opts: o, cfg: newConfig(), lines: newLineTable(), remote: newRemoteAccess(),
		vmSaved: map[vmBinding][]string{}, vmUnapplied: map[vmBinding][]string{}, closed: make(chan struct{})}
	s.started = s.now()
	s.syslog = syslogout.New(s.log)
	s.buildGrammar()
	s.env = &cli.Env{
		Interp:       s.interp,
		Exec:         s.exec,
		Config:       s.conf,
		Hostname:     s.hostname,
		Lock:         &s.mu,
		Logger:       s.log,
		AfterCommand: s.afterCommand,
		ModeChanged:  s.modeChanged,
	}
	s.mu.Lock()
	s.startCDP()
	s.applyAll()
	s.mu.Unlock()
	go s.watchEngine()
	return s, nil
}

// Interpreter returns the command grammar (for generated documentation).
func (s *Switch) Interpreter() *cli.Interpreter { return s.interp }

// hostname is read by every prompt, outside the lock.
func (s *Switch) hostname() string {
	if h := s.hostnameCopy.Load(); h != nil {
		return *h
	}
	return "Switch"
}

// applyAll pushes the whole configuration to the engine (after New and reload).
func (s *Switch) applyAll() {
	s.setHostname(s.cfg.hostname)
	s.pushVLANs()
	s.eng.SetAgingTime(time.Duration(s.cfg.aging) * time.Second)
	s.pushIGMP()
}

func (s *Switch) setHostname(h string) {
	s.cfg.hostname = h
	s.hostnameCopy.Store(&h)
	if s.cdp != nil {
		s.updateCDPSystem()
	}
}

// applyPort sends a port's configuration to the engine.
func (s *Switch) applyPort(p *port) error {
	return s.eng.SetPort(p.name, p.engineConfig(s.cdpRunning()))
}

// cdpRunning reports whether CDP runs globally.
func (s *Switch) cdpRunning() bool { return s.cdp.Settings().Run }

// ensureVLAN creates a VLAN if it does not exist; it reports whether it did.
func (s *Switch) ensureVLAN(id uint16) bool {
	if s.cfg.vlans.Has(id) {
		return false
	}
	s.cfg.vlans.Add(id)
	s.pushVLANs()
	return true
}

// logEvent logs a message IOS style: to lisad's log at the slog level of
// its severity, to the logging buffer (show logging), and on the lines that
// monitor logs (the console's with logging console, vtys' with logging
// monitor).
func (s *Switch) logEvent(facility string, sev int, mnemonic, msg string) {
	line := fmt.Sprintf("%%%s-%d-%s: %s", facility, sev, mnemonic, msg)
	s.log.Log(context.Background(), slogLevel(sev), line)
	stamped := s.stamp(s.now()) + line
	if st := s.logTime.Load(); st == nil && sev <= defaultTrap || st != nil && sev <= st.trap {
		fac := facilityCodes[defaultFacility]
		if st != nil {
			fac = st.facility
		}
		s.syslog.Send(syslogout.Format(fac, sev, s.syslogCount.Add(1), stamped))
	}
	toConsole, toMonitor := s.logs.add(stamped)
	if toConsole && toMonitor {
		s.lines.notify(stamped + "\n")
		return
	}
	for _, l := range s.lines.list() {
		if on := l.kind == "con" && toConsole || l.kind != "con" && toMonitor; on && l.monitor.Load() && l.session() != nil {
			l.post(stamped + "\n")
		}
	}
}

// watchEngine turns the engine's link events into log messages and removes
// ports whose netdev disappeared.
func (s *Switch) watchEngine() {
	for {
		var ev engine.Event
		select {
		case ev = <-s.eng.Events():
		case <-s.closed:
			return
		}
		switch ev.Kind {
		case engine.LinkUp, engine.LinkDown:
			name := ev.Port
			s.mu.Lock()
			adminDown := false
			if p := s.cfg.ports[ev.Port]; p != nil {
				s.cdpPort(p)
				adminDown = p.shutdown
			}
			if id, isSVI := sviFromName(name); isSVI {
				name = (&svi{vlan: id}).name() // as the configuration names it
				adminDown = s.cfg.svis[id] != nil && s.cfg.svis[id].shutdown
				if ev.Kind == engine.LinkUp && s.cfg.svis[id] != nil {
					s.addressesChanged() // routes through it come back
				}
			}
			s.mu.Unlock()
			state := "up"
			if ev.Kind == engine.LinkDown {
				state = "down"
			}
			// A shutdown has logged LINK-5-CHANGED (administratively down);
			// IOS adds only the line protocol's change to it.
			if ev.Kind == engine.LinkUp || !adminDown {
				s.logEvent("LINK", 3, "UPDOWN", fmt.Sprintf("Interface %s, changed state to %s", name, state))
			}
			s.logEvent("LINEPROTO", 5, "UPDOWN", fmt.Sprintf("Line protocol on Interface %s, changed state to %s", name, state))
		case engine.PortGone:
			s.mu.Lock()
			if id, isSVI := sviFromName(ev.Port); isSVI && s.cfg.svis[id] != nil {
				s.restoreSVI(s.cfg.svis[id])
				s.mu.Unlock()
				continue
			}
			s.forgetPort(ev.Port)
			s.mu.Unlock()
			s.logEvent("LINK", 5, "REMOVED", fmt.Sprintf("Interface %s removed from the switch (netdev deleted)", ev.Port))
		}
	}
}

// forgetPort drops a port whose netdev is gone from the running config.
func (s *Switch) forgetPort(name string) {
	delete(s.cfg.ports, name)
	s.cdp.RemovePort(name)
	kept := s.cfg.statics[:0]
	for _, st := range s.cfg.statics {
		if st.port != name {
			kept = append(kept, st)
			continue
		}
		// Said out loud: the next write memory will not have it.
		s.logEvent("LISA", 4, "STATICREMOVED", fmt.Sprintf("mac address-table static %s vlan %d interface %s removed with its interface", st.mac, st.vlan, name))
	}
	s.cfg.statics = kept
	s.forgetMrouters(name)
	s.saveBindings()
}

func (s *Switch) afterCommand(sess *cli.Session, _ string, m *cli.Match, err error) {
	// A command run in a configuration mode (not an exec command through
	// "do") counts as configuring, for the CONFIG_I log line.
	if err == nil && sess.Mode().Config && (m == nil || !m.Jumped) {
		if l, ok := sess.Info.(*line); ok {
			l.configured = true
		}
	}
	// Only an interface command can change a VM port's block (binding,
	// unbinding and removal save the bindings themselves), so other
	// commands cost nothing here.
	if ref, ok := sess.State().(ifRef); ok && ref.port != "" && sess.Mode().Config {
		s.vmPortCommand(ref.port)
	}
	if rng, ok := sess.State().(ifRange); ok && sess.Mode().Config {
		for _, ref := range rng.members {
			if ref.port != "" {
				s.vmPortCommand(ref.port)
			}
		}
	}
}

func (s *Switch) modeChanged(sess *cli.Session, from, to *cli.Mode) {
	if from != nil && from.Config && !to.Config {
		if l, ok := sess.Info.(*line); ok && l.configured {
			l.configured = false
			s.logEvent("SYS", 5, "CONFIG_I", "Configured from "+l.configuredBy())
		}
	}
}

func kernelVersion() string {
	rel, err1 := os.ReadFile("/proc/sys/kernel/osrelease")
	ver, err2 := os.ReadFile("/proc/sys/kernel/version")
	if err1 != nil || err2 != nil {
		return runtime.GOOS
	}
	return "Linux " + strings.TrimSpace(string(rel)) + " " + strings.TrimSpace(string(ver))
}

// SetDefaultAging sets the MAC aging time the configuration starts from
// (lisad.toml); a running-config line overrides it.
func (s *Switch) SetDefaultAging(seconds int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cfg.aging == s.agingDefault() {
		s.cfg.aging = seconds
	}
	s.defaultAging = &seconds
	s.applyAll()
}

// agingDefault is the aging time without a mac address-table aging-time
// line: lisad.toml's, else IOS's 300 seconds.
func (s *Switch) agingDefault() int {
	if s.defaultAging != nil {
		return *s.defaultAging
	}
	return defaultAging
}

// restoreSVI creates again the tap of a VLAN interface that was deleted
// outside lisad: the interface is part of the configuration, so it stays.
func (s *Switch) restoreSVI(v *svi) {
	s.eng.RemoveSVI(v.vlan)
	_, err := s.eng.AddSVI(v.vlan)
	if err == nil && v.shutdown {
		err = s.eng.SetSVIShutdown(v.vlan, true)
	}
	if all := v.allAddrs(); err == nil && len(all) > 0 {
		err = s.eng.SetSVIAddrs(v.vlan, all)
	}
	if err != nil {
		s.logEvent("LISA", 3, "SVIFAIL", fmt.Sprintf("Interface %s was deleted outside lisad and could not be created again: %v", v.name(), err))
		return
	}
	if s.cfg.mtu.routing != 0 {
		if err := s.applySVIMTU(v.vlan); err != nil {
			s.log.Warn("setting a VLAN interface's MTU", "vlan", v.vlan, "err", err)
		}
	}
	s.addressesChanged()
	s.logEvent("LISA", 4, "SVIRESTORED", fmt.Sprintf("Interface %s was deleted outside lisad; created again", v.name()))
}

// Close ends every session and the CDP agent.
func (s *Switch) Close() {
	s.closeOnce.Do(func() { close(s.closed) })
	s.stopCDP()
	s.syslog.Close()
	// The netdevs get back the MTUs they came with, so that the next
	// lisad finds them as the host made them.
	s.mu.Lock()
	for _, name := range s.cfg.portNames() {
		s.restoreMTU(s.cfg.ports[name])
	}
	s.mu.Unlock()
	for _, l := range s.lines.list() {
		if l.hangup != nil {
			l.hangup()
		}
	}
}

// pushVLANs gives the engine the VLAN database, less the media VLANs
// 1002-1005, which a trunk may list but never carries. The engine flushes a deleted
// VLAN's MACs, static ones included, so configured statics of VLANs that
// exist are installed again (the configuration keeps them, as it keeps ports'
// settings, and they resume with their VLAN).
func (s *Switch) pushVLANs() {
	ethernet := s.cfg.vlans
	for id := uint16(1002); id <= 1005; id++ {
		ethernet.Remove(id)
	}
	s.eng.SetVLANs(ethernet)
	for _, st := range s.cfg.statics {
		if s.cfg.vlans.Has(st.vlan) {
			if err := s.eng.AddStatic(st.mac, st.vlan, st.port); err != nil {
				s.log.Debug("re-adding a static MAC", "mac", st.mac.String(), "vlan", st.vlan, "err", err)
			}
		}
	}
}
