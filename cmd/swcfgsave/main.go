// Command swcfgsave saves the running configuration, as write memory does,
// and prints the files it wrote.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/lisa-go/lisa/localsock"
)

func main() {
	socket := flag.String("socket", "", "lisad's socket (default $LISA_SOCKET or "+localsock.DefaultSocket+")")
	vm := flag.String("vm", "", "save only this VM's port configuration")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: swcfgsave [--socket PATH] [--vm NAME]\n\nSaves the running configuration to the startup-config and the per-VM\nrecords, like write memory, and prints the files written; with --vm, only\nthat VM's record.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	cmd := "write memory files"
	if *vm != "" {
		cmd = "write memory vm " + *vm
	}
	code, err := localsock.Run(localsock.SocketPath(*socket),
		localsock.Hello{Mode: "batch", Program: "swcfgsave", Commands: []string{cmd}}, nil, os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "swcfgsave:", err)
	}
	os.Exit(code)
}
