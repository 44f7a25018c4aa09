package switchd

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/lisa-go/lisa/configstore"
	"github.com/lisa-go/lisa/engine"
	"github.com/lisa-go/lisa/mgmtroute"
)

// DaemonOptions are lisad's command-line options.
type DaemonOptions struct {
	SettingsFile string // --config; "" = the default file, which may be absent
	ConfigDir    string // --config-dir
	RunDir       string // --run-dir
}

// RunDaemon runs lisad until SIGTERM or SIGINT.
func RunDaemon(o DaemonOptions) error {
	path, mustExist := o.SettingsFile, true
	if path == "" {
		path, mustExist = configstore.DefaultSettingsFile, false
	}
	set, err := configstore.LoadSettings(path, mustExist)
	if err != nil {
		return err
	}
	set.Apply(configstore.Overrides{ConfigDir: o.ConfigDir, RunDir: o.RunDir})
	if err := set.Validate(); err != nil {
		return err
	}
	log := newLogger(set)
	slog.SetDefault(log)

	store := configstore.NewStore(set.ConfigDir)
	if err := store.RemoveStaleTemp(); err != nil && !errors.Is(err, os.ErrNotExist) {
		log.Warn("removing leftover temporary files", "dir", set.ConfigDir, "err", err)
	}

	ln, err := listenLocal(set.SocketPath())
	if err != nil {
		return err
	}
	defer os.Remove(set.SocketPath())
	defer ln.Close()

	host, err := engine.NewLinuxHost(engine.LinuxHostConfig{Logger: log, RcvBuf: set.Engine.SocketRcvBuf, FastPath: set.Engine.FastPath, FastPathEntries: set.Engine.MACTableSize})
	if err != nil {
		return err
	}
	eng, err := engine.New(engine.Config{Logger: log, MACTableSize: set.Engine.MACTableSize, Host: host, RxBatch: set.Engine.BatchSize})
	if err != nil {
		return err
	}
	defer eng.Close()

	var gateway ManagementRouter
	if mr, err := mgmtroute.New(); err != nil {
		log.Warn("no management routing: ip default-gateway is refused", "err", err)
	} else {
		// The rules name the VLAN interfaces' addresses, which go with
		// lisad: they go too.
		defer mr.Close()
		gateway = mr
	}
	sw, err := New(Options{Engine: eng, Store: store, Logger: log, Platform: set.CDPPlatform(), RunDir: set.RunDir, Gateway: gateway, Ping: OpenICMP})
	if err != nil {
		return err
	}
	sw.SetDefaultAging(set.Engine.MACAgingTime)
	sw.ConfigureDoors(DoorSettingsFrom(set))
	errs := sw.LoadStartup()
	sw.RestoreBindings()
	log.Info("lisad started", "version", Version, "config_dir", set.ConfigDir, "socket", set.SocketPath(), "startup_errors", len(errs))

	done := make(chan error, 1)
	go func() { done <- sw.ServeLocal(ln) }()
	sw.StartDoors()
	// The socket listens and the startup-config is loaded: ready for the
	// hotplug scripts (systemd Type=notify).
	if err := sdNotify("READY=1"); err != nil {
		log.Warn("telling systemd lisad is ready", "err", err)
	}

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	select {
	case s := <-sig:
		log.Info("lisad stopping", "signal", s.String())
	case err := <-done:
		if err != nil {
			return err
		}
	}
	sdNotify("STOPPING=1")
	sw.StopDoors()
	sw.Close()
	return nil
}

func newLogger(set configstore.Settings) *slog.Logger {
	opts := &slog.HandlerOptions{Level: set.SlogLevel()}
	if set.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// listenLocal opens the local socket, root-only. A socket file left by a
// daemon that died is replaced; one that answers means lisad already runs.
func listenLocal(path string) (net.Listener, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); err == nil {
		if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
			c.Close()
			return nil, fmt.Errorf("another lisad is already listening on %s", path)
		}
		os.Remove(path)
	}
	old := syscall.Umask(0o077)
	ln, err := net.Listen("unix", path)
	syscall.Umask(old)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}
