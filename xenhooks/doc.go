// Package xenhooks holds what integrates LiSA-Go with a Xen host: the vif
// hotplug script (vif-lisa), the xend network script (network-lisa), the init
// script (/etc/init.d/lisa), the systemd unit (lisad.service) and the
// /etc/default/lisa file they share. They are plain files with @SBINDIR@-style
// placeholders that `make install` fills in (xenhooks/Makefile); the tests
// install them with that same Makefile and run them for real.
package xenhooks
