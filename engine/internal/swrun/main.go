// Command swrun runs the engine alone on the given netdevs, for integration
// tests and for the peer benchmark (../shared/bench/peers.sh --switch-cmd).
//
//	swrun [-v] [-aging 300s] [-queues N] [-threaded] [-bypass] [-batch N] [-cpuprofile FILE] PORT[=SPEC] ...
//
// SPEC is an access VLAN ("10") or "trunk:LIST" (allowed VLANs, native VLAN
// 1); a bare PORT is an access port in VLAN 1. The VLAN database is VLAN 1
// plus every VLAN named. It runs until SIGTERM or SIGINT and then prints each
// port's counters to stderr.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/lisa-go/lisa/engine"
)

func main() {
	verbose := flag.Bool("v", false, "log engine messages")
	aging := flag.Duration("aging", 300*time.Second, "MAC aging time (0 = never)")
	queues := flag.Int("queues", 1, "receive sockets (forwarding goroutines) per port, PACKET_FANOUT_HASH")
	threaded := flag.Bool("threaded", false, "read each port on a locked OS thread sleeping in ppoll instead of Go's poller")
	bypass := flag.Bool("bypass", false, "PACKET_QDISC_BYPASS on port sockets")
	batch := flag.Int("batch", 0, "frames per receive call (0: the engine's default)")
	fast := flag.Bool("fastpath", true, "switch known unicast in the kernel (tcx); false: every frame in the engine")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	if err := run(flag.Args(), *verbose, *aging, *queues, *threaded, *bypass, *batch, *fast); err != nil {
		fmt.Fprintln(os.Stderr, "swrun:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

type portSpec struct {
	name string
	pc   engine.PortConfig
}

func parse(args []string) ([]portSpec, engine.VLANSet, error) {
	vdb := engine.NewVLANSet(1)
	var out []portSpec
	for _, a := range args {
		name, spec, _ := strings.Cut(a, "=")
		pc := engine.DefaultPortConfig()
		switch {
		case spec == "":
		case strings.HasPrefix(spec, "trunk:"):
			s, err := engine.ParseVLANList(strings.TrimPrefix(spec, "trunk:"))
			if err != nil {
				return nil, vdb, fmt.Errorf("%s: %w", a, err)
			}
			pc.Mode, pc.Allowed = engine.Trunk, s.Union(engine.NewVLANSet(1))
			vdb = vdb.Union(s)
		default:
			v, err := strconv.Atoi(spec)
			if err != nil || !engine.ValidVLAN(uint16(v)) {
				return nil, vdb, fmt.Errorf("%s: bad VLAN", a)
			}
			pc.AccessVLAN = uint16(v)
			vdb.Add(uint16(v))
		}
		out = append(out, portSpec{name, pc})
	}
	if len(out) == 0 {
		return nil, vdb, fmt.Errorf("usage: swrun [-v] PORT[=VLAN|=trunk:LIST] ...")
	}
	return out, vdb, nil
}

func run(args []string, verbose bool, aging time.Duration, queues int, threaded, bypass bool, batch int, fast bool) error {
	ports, vdb, err := parse(args)
	if err != nil {
		return err
	}
	level := slog.LevelWarn
	if verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	host, err := engine.NewLinuxHost(engine.LinuxHostConfig{Logger: log, RxQueues: queues, ThreadedReads: threaded, QdiscBypass: bypass, FastPath: fast})
	if err != nil {
		return err
	}
	e, err := engine.New(engine.Config{Logger: log, Host: host, RxBatch: batch})
	if err != nil {
		return err
	}
	defer e.Close()
	e.SetVLANs(vdb)
	e.SetAgingTime(aging)
	for _, p := range ports {
		if err := e.AddPort(p.name); err != nil {
			return err
		}
		if err := e.SetPort(p.name, p.pc); err != nil {
			return err
		}
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	for {
		select {
		case s := <-sig:
			log.Info("stopping", "signal", s)
			for _, p := range ports {
				c, _ := e.Counters(p.name)
				fmt.Fprintf(os.Stderr, "%s rx %d/%dB tx %d/%dB drops %v\n", p.name, c.RxPackets, c.RxBytes, c.TxPackets, c.TxBytes, c.DropsByName())
			}
			return nil
		case ev := <-e.Events():
			log.Info("event", "kind", ev.Kind, "port", ev.Port)
		}
	}
}
