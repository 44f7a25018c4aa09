//go:build tools

// Package lisa pins the modules the project depends on before every package
// that uses them exists, so that parallel work does not race on go.mod.
package lisa

import (
	_ "github.com/BurntSushi/toml"
	_ "github.com/ergochat/readline"
	_ "github.com/mdlayher/packet"
	_ "github.com/vishvananda/netlink"
	_ "golang.org/x/crypto/ssh"
	_ "golang.org/x/net/bpf"
	_ "golang.org/x/sys/unix"
	_ "golang.org/x/term"
)
