// Command swcfgload replays configuration into the running lisad: the
// startup-config (-m), or a VM's saved port configuration onto one of its
// interfaces.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/lisa-go/lisa/configstore"
	"github.com/lisa-go/lisa/localsock"
)

const usage = `Usage:
  swcfgload -m [--file PATH]
    Replay lisad's startup-config (or the configuration in PATH) into the
    running lisad. Each failing line is reported as config.text:LINE: message
    and the rest still loads; the exit status is 1 if any line failed.
  swcfgload [-s] [--nic N] IF TAG [DESCRIPTION]
    Apply the saved configuration of NIC N (default 0) of VM TAG to interface
    IF (making IF a switch port bound to that NIC), and optionally set its
    description. With -s a VM without saved configuration is normal (exit 0).
`

func main() {
	fs := flag.NewFlagSet("swcfgload", flag.ExitOnError)
	socket := fs.String("socket", "", "lisad's socket (default $LISA_SOCKET or "+localsock.DefaultSocket+")")
	loadMain := fs.Bool("m", false, "replay the main configuration")
	file := fs.String("file", "", "with -m: replay this file instead of lisad's own startup-config")
	dir := fs.String("config-dir", "", "with -m: replay DIR/config.text (the original's layout)")
	silent := fs.Bool("s", false, "a VM without saved configuration is not an error")
	nic := fs.Int("nic", 0, "NIC index of the VM")
	fs.Usage = func() {
		fmt.Fprint(os.Stderr, usage+"\n")
		fs.PrintDefaults()
	}
	fs.Parse(os.Args[1:])
	var h localsock.Hello
	switch {
	case *loadMain && fs.NArg() == 0:
		path := *file
		if path == "" && *dir != "" {
			path = filepath.Join(*dir, configstore.StartupFile)
		}
		if path == "" {
			h = localsock.Hello{Mode: "load", Program: "swcfgload", Startup: true}
			break
		}
		text, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "swcfgload: %v\n", err)
			os.Exit(1)
		}
		h = localsock.Hello{Mode: "load", Program: "swcfgload", Name: filepath.Base(path), Text: string(text)}
	case !*loadMain && (fs.NArg() == 2 || fs.NArg() == 3):
		iface, tag := fs.Arg(0), fs.Arg(1)
		// The names go into a command line: they must be single words.
		if strings.ContainsAny(iface, " \t") || strings.ContainsAny(tag, " \t") {
			fmt.Fprintln(os.Stderr, "swcfgload: interface and VM names cannot contain spaces")
			os.Exit(1)
		}
		if err := configstore.ValidateDomain(tag); err != nil {
			fmt.Fprintln(os.Stderr, "swcfgload:", err)
			os.Exit(1)
		}
		cmd := "vm load " + iface + " " + tag + " nic " + strconv.Itoa(*nic)
		if *silent {
			cmd += " missing-ok"
		}
		if fs.NArg() == 3 {
			cmd += " description " + fs.Arg(2)
		}
		h = localsock.Hello{Mode: "batch", Program: "swcfgload", Commands: []string{cmd}}
	default:
		fs.Usage()
		os.Exit(1)
	}
	code, err := localsock.Run(localsock.SocketPath(*socket), h, nil, os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "swcfgload:", err)
	}
	os.Exit(code)
}
