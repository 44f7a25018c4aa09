// Command swctl is the switch's low-level tool for scripts (the Xen hotplug
// scripts among them): it adds and removes interfaces and binds them to VMs.
// Every subcommand is idempotent: running it twice leaves the same state.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strconv"

	"github.com/lisa-go/lisa/localsock"
)

const usage = `Usage: swctl [--socket PATH] COMMAND [ARGS]
Commands:
  add IF                          make netdev IF a switch port (access VLAN 1)
  addtagged IF TAG                the original's form: IF is NIC 0 of VM TAG
  attach IF --vm NAME [--nic N]   make IF a switch port bound to NIC N of VM NAME
  del IF [-s]                     take IF off the switch (-s: silent if it is gone)
  show [--json]                   ports and VM bindings
`

func main() {
	global := flag.NewFlagSet("swctl", flag.ExitOnError)
	socket := global.String("socket", "", "lisad's socket (default $LISA_SOCKET or "+localsock.DefaultSocket+")")
	global.Usage = func() { fmt.Fprint(os.Stderr, usage) }
	global.Parse(os.Args[1:])
	args := global.Args()
	if len(args) == 0 {
		global.Usage()
		os.Exit(2)
	}
	path := localsock.SocketPath(*socket)
	cmd, rest := args[0], args[1:]
	var cmds []string
	silent, json := false, false
	switch cmd {
	case "add":
		need(rest, 1)
		cmds = []string{"configure terminal", "interface " + rest[0], "end"}
	case "addtagged":
		need(rest, 2)
		cmds = attach(rest[0], rest[1], 0)
	case "attach":
		fs := flag.NewFlagSet("attach", flag.ExitOnError)
		vm := fs.String("vm", "", "VM (domain) name")
		nic := fs.Int("nic", 0, "NIC index")
		if len(rest) < 1 {
			die("attach needs an interface")
		}
		fs.Parse(rest[1:])
		if *vm == "" || fs.NArg() > 0 {
			die("usage: swctl attach IF --vm NAME [--nic N]")
		}
		cmds = attach(rest[0], *vm, *nic)
	case "del":
		if len(rest) < 1 || len(rest) > 2 || len(rest) == 2 && rest[1] != "-s" {
			die("usage: swctl del IF [-s]")
		}
		silent = len(rest) == 2
		cmds = []string{"configure terminal", "no interface " + rest[0], "end"}
	case "show":
		if len(rest) == 1 && rest[0] == "--json" {
			json = true
			cmds = []string{"show vm json"}
		} else if len(rest) == 0 {
			cmds = []string{"show interfaces status", "show vm"}
		} else {
			die("usage: swctl show [--json]")
		}
	default:
		global.Usage()
		os.Exit(2)
	}
	var out, errOut bytes.Buffer
	code, err := localsock.Run(path, localsock.Hello{Mode: "batch", Program: "swctl", Commands: cmds}, nil, &out, &errOut)
	switch {
	case err != nil && code == 2:
		fmt.Fprintln(os.Stderr, "swctl:", err)
		os.Exit(2)
	case silent:
		os.Exit(0)
	}
	if code != 0 {
		os.Stderr.Write(out.Bytes())
		os.Stderr.Write(errOut.Bytes())
		os.Exit(code)
	}
	if cmd == "show" || json {
		os.Stdout.Write(out.Bytes())
	}
}

func attach(iface, vm string, nic int) []string {
	return []string{"configure terminal", "interface " + iface, "vm " + vm + " nic " + strconv.Itoa(nic), "end"}
}

func need(args []string, n int) {
	if len(args) != n {
		die(usage)
	}
}

func die(msg string) {
	fmt.Fprintln(os.Stderr, "swctl:", msg)
	os.Exit(2)
}
