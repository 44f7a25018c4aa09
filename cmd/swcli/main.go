// Command swcli is the switch's shell: it attaches the terminal to a
// level-15 session of lisad over the local socket, or runs commands without
// a terminal (-c CMD, or lines read from a non-terminal standard input).
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"golang.org/x/term"

	"github.com/lisa-go/lisa/localsock"
)

type commandList []string

func (c *commandList) String() string     { return strings.Join(*c, "; ") }
func (c *commandList) Set(v string) error { *c = append(*c, v); return nil }

func main() {
	var cmds commandList
	socket := flag.String("socket", "", "lisad's socket (default $LISA_SOCKET or "+localsock.DefaultSocket+")")
	flag.Var(&cmds, "c", "run `COMMAND` and exit (repeatable; run in order in one session)")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: swcli [--socket PATH] [-c COMMAND]...\n\n"+
			"Without -c, swcli attaches the terminal to the switch's shell; with standard\n"+
			"input not a terminal, it runs the lines it reads. The exit status is 1 if a\n"+
			"command failed, 2 if lisad could not be reached.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	path := localsock.SocketPath(*socket)
	var code int
	var err error
	switch {
	case len(cmds) > 0:
		code, err = localsock.Run(path, localsock.Hello{Mode: "batch", Program: "swcli", Commands: cmds}, nil, os.Stdout, os.Stderr)
	case term.IsTerminal(int(os.Stdin.Fd())):
		code, err = interactive(path)
	default:
		code, err = localsock.Run(path, localsock.Hello{Mode: "batch", Program: "swcli"}, os.Stdin, os.Stdout, os.Stderr)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "swcli:", err)
	}
	os.Exit(code)
}

// interactive puts the terminal in raw mode and relays it: line editing,
// `?`, TAB and paging all happen in lisad.
func interactive(path string) (int, error) {
	c, err := localsock.Dial(path)
	if err != nil {
		return 2, err
	}
	defer c.Close()
	fd := int(os.Stdin.Fd())
	w, h, _ := term.GetSize(fd)
	if err := c.Hello(localsock.Hello{Mode: "interactive", Program: "swcli", Term: os.Getenv("TERM"), Width: w, Height: h}); err != nil {
		return 2, err
	}
	old, err := term.MakeRaw(fd)
	if err != nil {
		return 2, err
	}
	defer term.Restore(fd, old)

	winch := make(chan os.Signal, 1)
	signal.Notify(winch, syscall.SIGWINCH)
	go func() {
		for range winch {
			if w, h, err := term.GetSize(fd); err == nil {
				c.Send(localsock.FrameSize, localsock.SizePayload(w, h))
			}
		}
	}()
	go func() {
		buf := make([]byte, 1024)
		for {
			n, err := os.Stdin.Read(buf)
			if n > 0 && c.Send(localsock.FrameInput, buf[:n]) != nil {
				return
			}
			if err != nil {
				return
			}
		}
	}()
	code, err := c.Receive(os.Stdout, os.Stderr)
	term.Restore(fd, old)
	fmt.Println()
	return code, err
}
