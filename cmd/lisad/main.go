// Command lisad is the LiSA-Go switch daemon: the packet engine, the IOS
// interpreter, the CDP agent and the console doors in one process.
package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/lisa-go/lisa/configstore"
	"github.com/lisa-go/lisa/switchd"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is lisad with its arguments; it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("lisad", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o switchd.DaemonOptions
	fs.StringVar(&o.SettingsFile, "config", "", "settings file (default /etc/lisa/lisad.toml; optional when not given)")
	fs.StringVar(&o.ConfigDir, "config-dir", "", "configuration directory (default /etc/lisa)")
	fs.StringVar(&o.RunDir, "run-dir", "", "runtime directory holding lisa.sock (default /run/lisa)")
	dump := fs.Bool("dump-commands", false, "print the command reference (Markdown) and exit")
	classes := fs.Bool("dump-config-classes", false, "print the class of every configuration command (Markdown) and exit")
	version := fs.Bool("version", false, "print the version and exit")
	example := fs.Bool("print-settings-example", false, "print a commented lisad.toml with every default and exit")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "lisad: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	switch {
	case *version:
		fmt.Fprintln(stdout, "lisad", switchd.Version)
		return 0
	case *example:
		fmt.Fprint(stdout, configstore.ExampleTOML)
		return 0
	case *dump:
		fmt.Fprint(stdout, switchd.CommandReference())
		return 0
	case *classes:
		fmt.Fprint(stdout, switchd.ConfigClasses())
		return 0
	}
	before := slog.Default()
	if err := switchd.RunDaemon(o); err != nil {
		// Said once: through the log lisad configured if it got that far,
		// else plainly (a bad lisad.toml, before any logger exists).
		if slog.Default() != before {
			slog.Error("lisad stopped", "err", err)
		} else {
			fmt.Fprintln(stderr, "lisad:", err)
		}
		return 1
	}
	return 0
}
