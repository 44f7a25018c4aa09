// Package engine is LiSA-Go's packet engine: it switches Ethernet frames
// between the host's netdevs (uplink, Xen vifs, taps, veths) inside the lisad
// process with Catalyst semantics.
//
// # Model
//
// A port is a netdev opened with an AF_PACKET socket (AddPort). It is an
// access port (one VLAN, untagged) or a trunk (allowed VLANs tagged, native
// VLAN untagged; SetPort applies a whole PortConfig at once). The VLAN
// database (SetVLANs) says which VLANs exist: frames in other VLANs are
// dropped and a VLAN leaving it takes its MAC table entries along, while
// ports keep their configuration. VLAN interfaces (AddSVI) are tap netdevs
// "vlanN" that are untagged members of VLAN N, with MAC SVIMACFor(N).
//
// Ingress, per frame: admin down -> drop; CDP to 01:00:0c:cc:cc:cc (SNAP PID
// 0x2000, tagged or not) from a port with PuntCDP -> punt handler, not
// switched; a routed port (PortConfig.Routed, "no switchport") -> nothing
// more, the host's stack has the frame (routed.go); 01:80:c2:00:00:0x -> drop (802.1D); classify by tag or access
// VLAN (VID 0 = untagged); drop tagged-on-access, untagged on a trunk without
// native VLAN, VLAN not allowed, VLAN not in the database, source MAC zero
// or multicast; learn (MAC, VLAN) -> port; forward known unicast to its one
// port (never back to the ingress port, only if that port is up and carries
// the VLAN), flood the rest to every other member of the VLAN. Egress adds,
// keeps or strips the tag per port; PCP/DEI survive trunk to trunk, an added
// tag has PCP 0. Every drop is counted per port and reason (DropReason).
//
// MAC table: bounded (Config.MACTableSize, default 16384), statics pinned
// (never aged, never moved, multicast refused), aging by Age(now) against the
// injected Clock (SetAgingTime(0) = never). When full it evicts the least
// recently used entry of the port that owns the most entries (Open vSwitch's
// rule), so a MAC flood on one port leaves other ports' stations alone.
// Lookups take no lock and learning a known station does not allocate.
//
// IGMP snooping (igmp_snoop.go, on in every VLAN unless SetIGMPSnooping says
// otherwise): IPv4 multicast (01:00:5e, EtherType 0x0800) is switched by
// group. IGMP reports and leaves are learned and go to the VLAN's multicast
// router ports only; queries and PIM hellos make their port a router port
// and are flooded; group traffic goes to the members and router ports, an
// unknown group to the router ports (flooded when the VLAN has none);
// 224.0.0.0/24 and non-IPv4 multicast flood. The group table is immutable
// behind its own atomic pointer; a frame's decision may be a port set.
//
// # Data path
//
// One goroutine per port runs to completion: recvmmsg a batch (blocking in
// Go's poller, never spinning), decide every frame against an immutable
// snapshot of the configuration (atomic pointer, no lock), then gather one
// vector of scatter-gather TxFrames per egress port (a rewritten header plus
// the untouched body, so tagging never copies payloads; frames keep their
// arrival order per egress port) and flush each with sendmmsg.
// PACKET_VNET_HDR carries GSO super frames and partial checksums through
// untouched (csum_start/hdr_len moved by ±4 when a tag is added or removed),
// so host offloads stay on. PACKET_AUXDATA restores VLAN tags the kernel
// stripped; a BPF filter attached before bind keeps the socket's own
// transmissions out; SO_RCVBUFFORCE gives the socket room for TCP bursts.
//
// Publishing a configuration change costs O(1) whatever the number of ports:
// the snapshot's port table is split into chunks of 64 views copied on write,
// and whether an egress port carries a VLAN is tested per frame from its view
// (the ingress VLAN was already checked against the database), so a VLAN
// database change copies no per-port state.
//
// Each port's receive buffers take RxBatch*(RxHeadroom+MaxFrameLen) bytes
// (2.1 MiB with the default batch of 32) of anonymous mmap outside the Go
// heap, without huge pages: resident only as frames are written into them
// (one 4 KiB page per buffer for small frames). LinuxHostConfig.RxQueues > 1
// opens that many sockets per port in a PACKET_FANOUT_HASH group, one
// forwarding goroutine each, so several flows entering one port use several
// cores (each flow stays in order). ThreadedReads (a locked OS thread per
// port sleeping in ppoll) and QdiscBypass (PACKET_QDISC_BYPASS) are options
// that measured no better on a 2-core VM (docs/benchmarks.md). Frames the
// kernel dropped on a full socket queue are counted as rx-queue-full. Hosts
// must not raise gso_max_size above 64 KiB (BIG TCP) on links facing the
// switch: bigger frames are dropped as malformed.
//
// # Kernel fast path
//
// With LinuxHostConfig.FastPath (lisad's engine.fast_path, on by default) the
// kernel switches known unicast itself: a tcx ingress program on every port
// (fastpath_linux.go, generated with cilium/ebpf's assembler, no compiler
// needed) looks up the frame's ingress port, VLAN, source and destination in
// BPF maps and redirects it straight to the egress netdev, pushing or popping
// the tag; no copy to the process and back, no thread wakeup. It takes a
// frame only when the engine would have sent it to that one port: both
// stations learned (the source on this very port), both ports up and
// carrying the VLAN, the VLAN in the database, no second tag, no VID 0,
// unicast destination; an 802.1ad outer tag is lisad's too (to lisad it is
// not a VLAN tag). Everything else - floods, learning and station
// moves, CDP punts, 802.1D drops, SVIs, every counted drop - stays here.
//
// The engine remains the authority. One loop (fastSync) mirrors its state
// into the maps: MAC table changes mark their key, port and VLAN database
// changes mark everything, and the loop installs what the current snapshot
// allows and removes the rest; a removed port is taken out synchronously
// before its netdev index can be reused; a change the kernel refuses is not
// recorded as made and is retried. The fast path stamps the stations it
// sees; each aging pass reads those stamps in a few batched calls, outside
// the table's lock, so kernel-switched stations neither age out nor look
// idle. It counts per port (Counters adds its share, PortCounters.Fast*,
// tags included as lisad counts them). Frames it does not take go on to the
// next tcx program and legacy tc ingress as if it were not there (the ones
// it redirects skip them). Frames keep their order within each path; a
// flow's first frames, still queued in lisad when the kernel starts
// switching the flow, can be overtaken once. AF_PACKET taps see a frame before tc ingress,
// so each port socket carries an eBPF socket filter that takes the same
// decision from the same maps and refuses what the fast path will switch:
// every frame is switched once. A kernel without BPF or tcx (6.6+) logs why
// and everything is switched here, as before.
//
// # For the command layer
//
// The engine has no VLAN auto-creation policy: "switchport access vlan N" or
// "interface vlan N" creating VLAN N is the caller's job (SetVLANs). Static
// MACs of a VLAN that is deleted are flushed with it (the SVI's own entry
// comes back by itself); re-add configured statics when the VLAN returns.
// Ports() and Port() include SVIs (Kind KindSVI, named "vlanN"); SetPort and
// RemovePort refuse them. Events() reports carrier changes and netdevs that
// vanished (the port is already gone from the engine when PortGone arrives).
//
// # API
//
//	New(Config) (*Engine, error), (*Engine).Close() error
//	AddPort(name) / RemovePort(name) / SetPort(name, PortConfig) / PortConfigOf(name)
//	SetPortAddrs(name, []netip.Prefix)  (a routed port's addresses)
//	SetLinkSettings(name, LinkSettings)  (speed/duplex via ethtool; ErrLinkSettingsUnsupported)
//	Ports() []PortStatus, Port(name) (PortStatus, error)
//	SetVLANs(VLANSet), VLANs() VLANSet
//	AddSVI(vlan) (MAC, error), RemoveSVI(vlan), SetSVIShutdown(vlan, bool), SetSVIAddrs(vlan, []netip.Prefix), SVIs()
//	SetAgingTime(d), AgingTime(), Age(now) int
//	AddStatic(mac, vlan, port), RemoveStatic(mac, vlan)
//	SetIGMPSnooping(VLANSet), AddMrouter/RemoveMrouter(vlan, port), IGMPGroups(vlan), Mrouters(vlan), ClearIGMPGroups(vlan), AgeIGMP(now)
//	MACTable(FDBFilter) []FDBEntry, CountMACs() MACCounts, ClearDynamic(FDBFilter) int
//	Counters(port) (PortCounters, error), ClearCounters(port or "")
//	SetPuntHandler(func(port string, frame []byte)), Send(port, frame) error
//	Events() <-chan Event  (LinkUp, LinkDown, PortGone)
//	NewLinuxHost(LinuxHostConfig) (Host, error)  (RcvBuf, SndBuf, RxQueues, ThreadedReads, QdiscBypass)
//	PortIO, MultiQueue, KernelDropper: the I/O seam a Host returns
//
// VLANSet and MAC are the value types the command layer parses into
// (ParseVLANList, VLANSet.String, VLANSet.TrunkAllowedLines, ParseMAC,
// MAC.String). The Host interface is the seam to the operating system:
// NewLinuxHost is the real one, package enginetest has an in-memory fake.
package engine
