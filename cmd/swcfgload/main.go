// Command swcfgload replays a configuration into the running lisad: the
// startup-config (-m), or a VM's saved port configuration onto one of its
// interfaces.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/lisa-go/lisa/localsock"
)

const usage = `Usage:
  swcfgload -m [--config-dir DIR]
    Load the main configuration from DIR/config.text (default /etc/lisa) into
    the running lisad. Each failing line is reported as config.text:LINE: message
    and the rest still loads; the exit status is 1 if any line failed.
`

func main() {
	socket := flag.String("socket", "", "lisad's socket (default $LISA_SOCKET or "+localsock.DefaultSocket+")")
	main := flag.Bool("m", false, "load the main configuration (config.text)")
	dir := flag.String("config-dir", "/etc/lisa", "configuration directory")
	flag.Usage = func() {
		fmt.Fprint(os.Stderr, usage+"\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if !*main || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(1)
	}
	path := filepath.Join(*dir, "config.text")
	text, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "swcfgload: %v\n", err)
		os.Exit(1)
	}
	code, err := localsock.Run(localsock.SocketPath(*socket),
		localsock.Hello{Mode: "load", Program: "swcfgload", Name: filepath.Base(path), Text: string(text)}, nil, os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "swcfgload:", err)
	}
	os.Exit(code)
}
