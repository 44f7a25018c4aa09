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
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: swcfgsave [--socket PATH]\n\nSaves the running configuration to the startup-config and the per-VM\nrecords, like write memory, and prints the files written.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	code, err := localsock.Run(localsock.SocketPath(*socket),
		localsock.Hello{Mode: "batch", Program: "swcfgsave", Commands: []string{"write memory files"}}, nil, os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "swcfgsave:", err)
	}
	os.Exit(code)
}
