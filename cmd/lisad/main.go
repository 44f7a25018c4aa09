// Command lisad is the LiSA-Go switch daemon: the packet engine, the IOS
// interpreter, the CDP agent and the console doors in one process.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"

	"github.com/lisa-go/lisa/configstore"
	"github.com/lisa-go/lisa/switchd"
)

func main() {
	var o switchd.DaemonOptions
	flag.StringVar(&o.SettingsFile, "config", "", "settings file (default /etc/lisa/lisad.toml; optional when not given)")
	flag.StringVar(&o.ConfigDir, "config-dir", "", "configuration directory (default /etc/lisa)")
	flag.StringVar(&o.RunDir, "run-dir", "", "runtime directory holding lisa.sock (default /run/lisa)")
	dump := flag.Bool("dump-commands", false, "print the command reference (Markdown) and exit")
	version := flag.Bool("version", false, "print the version and exit")
	example := flag.Bool("print-settings-example", false, "print a commented lisad.toml with every default and exit")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "lisad: unexpected argument %q\n", flag.Arg(0))
		os.Exit(2)
	}
	switch {
	case *version:
		fmt.Println("lisad", switchd.Version)
		return
	case *example:
		fmt.Print(configstore.ExampleTOML)
		return
	case *dump:
		fmt.Print(switchd.CommandReference())
		return
	}
	if err := switchd.RunDaemon(o); err != nil {
		slog.Error("lisad stopped", "err", err)
		fmt.Fprintln(os.Stderr, "lisad:", err)
		os.Exit(1)
	}
}
