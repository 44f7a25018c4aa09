// Package configstore keeps LiSA-Go's files on disk: the daemon settings
// (lisad.toml), the startup-config and the per-VM port records. Everything
// is written atomically (WriteFileAtomic): a crash, a full disk or a
// read-only file system leaves the old file whole.
//
// # Layout
//
//	CONFIG_DIR/               /etc/lisa, mode 0700
//	  config.text             startup-config, IOS text (Store.ReadStartup, WriteStartup)
//	  tags/<domain>           one record per VM (Store.ReadVM, WriteVM)
//	  lisad.toml              daemon settings (LoadSettings)
//	  ssh_host_ed25519_key    unless ssh.host_key says otherwise
//
// # Per-VM records
//
// A VM's ports are saved under its domain name, not under their vifX.Y
// names, which change each time the VM boots. One file holds one block per
// NIC index:
//
//	! LiSA-Go port configuration of VM web01
//	nic 0
//	 switchport access vlan 30
//	!
//	nic 1
//	 switchport mode trunk
//	 switchport trunk allowed vlan 10,20
//	!
//
// The original LiSA's tag files, indented interface lines without any "nic"
// line, read as NIC 0. A bad line is reported with its number and skipped;
// the rest of the record is still used.
//
// # lisad.toml
//
// Every key is optional; unknown keys are errors. ExampleTOML is a
// commented file with all the defaults.
//
//	key                      default     meaning
//	config_dir               /etc/lisa   startup-config, tags/, SSH host key (--config-dir overrides)
//	run_dir                  /run/lisa   lisa.sock, the local session socket (--run-dir overrides)
//	log_level                info        debug, info, warn or error
//	log_format               text        text or json
//	[engine]
//	mac_table_size           16384       MAC address table entries, 1-16777216
//	mac_aging_time           300         seconds, 0 = never or 10-1000000; the running-config overrides it
//	socket_rcvbuf            4194304     receive buffer of each port socket, bytes
//	batch_size               32          frames per system call, 1-1024
//	fast_path                true        the kernel switches known unicast (tcx); false: all in lisad
//	[telnet]
//	enabled                  false       offer the shell over telnet
//	listen                   ":23"       host:port
//	[ssh]
//	enabled                  false       offer the shell over SSH
//	listen                   ":22"       host:port
//	host_key                 ""          "" = CONFIG_DIR/ssh_host_ed25519_key
//	[cdp]
//	platform                 ""          "" = machine type, uname -m
//	software_version         ""          "" = LiSA-Go's built-in version
package configstore
