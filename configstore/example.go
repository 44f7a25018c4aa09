package configstore

// ExampleTOML is a complete lisad.toml that sets every key to its default,
// with a comment on each. Packagers can install it as
// /etc/lisa/lisad.toml; a test checks that it parses to DefaultSettings.
const ExampleTOML = `# lisad.toml: settings of the LiSA-Go daemon.
# Every key is optional; the values below are the defaults. The switch's own
# configuration (VLANs, ports, CDP...) is not here but in the startup-config,
# CONFIG_DIR/config.text, written by "write memory".
# Command-line flags win over this file: --config-dir, --run-dir.

# Directory of the startup-config (config.text), the per-VM records (tags/)
# and the SSH host key.
config_dir = "/etc/lisa"

# Directory of run-time files: the local session socket lisa.sock.
run_dir = "/run/lisa"

# Logging: level is debug, info, warn or error; format is text or json.
log_level = "info"
log_format = "text"

[engine]
# Largest number of entries in the MAC address table.
mac_table_size = 16384
# Seconds before a learned MAC address is forgotten; 0 never forgets.
# "mac-address-table aging-time" in the running-config overrides it.
mac_aging_time = 300
# Receive buffer of each port's packet socket, in bytes.
socket_rcvbuf = 4194304
# Frames moved per system call.
batch_size = 32
# Let the kernel switch known unicast between ports (a tcx program per
# port, kept in step with the MAC table by lisad); flooding, learning,
# CDP and SVIs stay in lisad. Needs a kernel with BPF and tcx (6.6+);
# without, lisad says so in its log and switches every frame itself.
fast_path = true

[telnet]
# The telnet door: an IOS shell for any telnet client (login with the
# vty password). Telnet is clear text: prefer SSH off the host.
enabled = false
listen = ":23"

[ssh]
enabled = false
listen = ":22"
# Host key file; empty means CONFIG_DIR/ssh_host_ed25519_key, created on
# first start.
host_key = ""

[cdp]
# Platform announced by CDP; empty means the machine type (uname -m).
platform = ""
# Software version announced by CDP; empty means LiSA-Go's own version.
software_version = ""
`
