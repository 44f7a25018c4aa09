// Command swctl is the switch's low-level tool for scripts (the Xen hotplug
// scripts among them): it adds and removes interfaces and binds them to VMs.
// Every subcommand is idempotent: running it twice leaves the same state.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/lisa-go/lisa/configstore"
	"github.com/lisa-go/lisa/localsock"
)

const usage = `Usage: swctl [--socket PATH] COMMAND [ARGS]
Commands:
  add IF                          make netdev IF a switch port (access VLAN 1)
  addtagged IF TAG                the original's form: IF is NIC 0 of VM TAG
  attach IF --vm NAME [--nic N]   make IF a switch port bound to NIC N of VM NAME
  del IF [-s]                     take IF off the switch (-s: silent if it is not there)
  show [--json]                   ports and VM bindings
  bound IF --vm NAME [--nic N]    exit 0 if IF is bound to NIC N of VM NAME, 1 if not
`

// sviName matches VLAN interfaces, which swctl leaves to the shell.
var sviName = regexp.MustCompile(`(?i)^vl(an?)?[0-9]+$`)

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
	cmd, rest := args[0], args[1:]
	var cmds []string
	silent := false
	switch cmd {
	case "add":
		need(rest, 1)
		cmds = []string{"configure terminal", "interface " + port(rest[0]), "end"}
	case "addtagged":
		need(rest, 2)
		cmds = attach(port(rest[0]), rest[1], 0)
	case "attach":
		iface, vm, nic := vmNICArgs("attach", rest)
		cmds = attach(iface, vm, nic)
	case "del":
		if len(rest) < 1 || len(rest) > 2 || len(rest) == 2 && rest[1] != "-s" {
			die("usage: swctl del IF [-s]")
		}
		silent = len(rest) == 2
		iface := port(rest[0])
		// The first line fails, and says so, when IF is not on the switch.
		cmds = []string{"show running-config interface " + iface, "configure terminal", "no interface " + iface, "end"}
	case "show":
		if len(rest) > 1 || len(rest) == 1 && rest[0] != "--json" {
			die("usage: swctl show [--json]")
		}
		cmds = []string{"show vm json"}
	case "bound":
		boundIf, boundVM, boundNIC = vmNICArgs("bound", rest)
		cmds = []string{"show vm json"}
	default:
		global.Usage()
		os.Exit(2)
	}
	var out, errOut bytes.Buffer
	code, err := localsock.Run(localsock.SocketPath(*socket), localsock.Hello{Mode: "batch", Program: "swctl", Commands: cmds}, nil, &out, &errOut)
	switch {
	case err != nil && code == 2:
		fmt.Fprintln(os.Stderr, "swctl:", err)
		os.Exit(2)
	case silent:
		os.Exit(0)
	case code != 0:
		// Only the error messages, not the session's chatter.
		sc := bufio.NewScanner(bytes.NewReader(append(out.Bytes(), errOut.Bytes()...)))
		for sc.Scan() {
			if l := sc.Text(); strings.HasPrefix(l, "%") || strings.HasPrefix(l, "Command rejected") {
				fmt.Fprintln(os.Stderr, "swctl:", strings.TrimSpace(strings.TrimPrefix(l, "%")))
			}
		}
		os.Exit(code)
	case cmd == "show" && len(rest) == 1:
		os.Stdout.Write(out.Bytes())
	case cmd == "show":
		st, err := parseState(out.Bytes())
		if err != nil {
			die(err.Error())
		}
		st.render(os.Stdout)
	case cmd == "bound":
		st, err := parseState(out.Bytes())
		if err != nil {
			die(err.Error())
		}
		if !st.bound(boundIf, boundVM, boundNIC) {
			os.Exit(1)
		}
	}
}

// What "swctl bound" asks about.
var (
	boundIf, boundVM string
	boundNIC         int
)

// port checks an interface name given to swctl: one word, not a VLAN
// interface (those are configured from the shell).
func port(name string) string {
	if name == "" || strings.ContainsAny(name, " \t") {
		die(fmt.Sprintf("bad interface name %q", name))
	}
	if sviName.MatchString(name) {
		die(name + " is a VLAN interface; configure it from swcli")
	}
	return name
}

func attach(iface, vm string, nic int) []string {
	if err := configstore.ValidateDomain(vm); err != nil || strings.ContainsAny(vm, " \t") {
		die(fmt.Sprintf("bad VM name %q", vm))
	}
	return []string{"configure terminal", "interface " + iface, "vm " + vm + " nic " + strconv.Itoa(nic), "end"}
}

func need(args []string, n int) {
	if len(args) != n {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
}

func die(msg string) {
	fmt.Fprintln(os.Stderr, "swctl:", msg)
	os.Exit(2)
}

// vmNICArgs parses "IF --vm NAME [--nic N]", the arguments of attach and
// bound.
func vmNICArgs(sub string, args []string) (iface, vm string, nic int) {
	fs := flag.NewFlagSet(sub, flag.ExitOnError)
	vmFlag := fs.String("vm", "", "VM (domain) name")
	nicFlag := fs.Int("nic", 0, "NIC index")
	if len(args) < 1 {
		die(sub + " needs an interface")
	}
	fs.Parse(args[1:])
	if *vmFlag == "" || fs.NArg() > 0 {
		die("usage: swctl " + sub + " IF --vm NAME [--nic N]")
	}
	return port(args[0]), *vmFlag, *nicFlag
}
