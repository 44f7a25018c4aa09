// Package e2e holds end-to-end tests of LiSA-Go as an administrator uses it:
// the real lisad binary in a network namespace the test creates, driven by the
// real client tools, real terminals (tmux), real peers (lldpd, OpenSSH,
// telnet, Open vSwitch) and the Xen hotplug scripts with a fake xenstore.
// The tests need root and skip cleanly without it.
package e2e
