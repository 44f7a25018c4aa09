// Package cdp speaks the Cisco Discovery Protocol, versions 1 and 2: a pure codec and the
// agent that announces the switch and lists its neighbours.
//
// # Codec
//
// DecodeFrame and EncodeFrame convert between []byte and Frame/Packet with no I/O. Frames are
// 802.3 with LLC/SNAP (OUI 00000C, PID 0x2000) to 01:00:0c:cc:cc:cc, optionally behind
// 802.1Q tags on receive. Checksum implements Cisco's variant of the Internet checksum
// (an odd trailing byte is added as a signed low-order byte). The decoder is fuzzed: it
// never panics, walks lengths and counts against the bytes actually present, never
// allocates according to a claimed length or count, keeps at most MaxAddresses addresses per
// address TLV and MaxUnknownTLVs raw TLVs, and lets a repeated TLV replace the earlier one.
// A known TLV whose value has a size its type does not allow is kept raw in Packet.Unknown
// instead of failing the whole frame (Wireshark is as lenient; lldpd drops such frames).
//
// # Agent
//
// An Agent is fed by two parties. switchd calls the settings (SetRun, SetTimer,
// SetHoldtime, SetAdvertiseV2), the port life cycle (AddPort, SetPortUp, SetPortEnabled,
// SetPortVLAN, SetPortDuplex, RemovePort) and SetSystem, and prints the show renderers'
// text (ShowNeighbors(agent.Snapshot(), ...) and friends). The engine calls Receive with
// every CDP frame of a port, and the agent calls the engine's Sender to transmit. Run drives
// the timers; tests call Tick with a fake Clock instead.
//
// Behaviour, where the original cdpd or IOS leave room:
//   - The first advertisement leaves as soon as a port becomes active (CDP running, enabled
//     on the port, port up), then one every Timer seconds.
//   - A port going down, `no cdp enable`, RemovePort and `no cdp run` send holdtime 0 first,
//     so neighbours forget us at once, and forget that port's neighbours.
//   - A received holdtime of 0 removes the neighbour at once.
//   - A bad checksum is counted (Chksum error) and the frame accepted, as lldpd does: the
//     odd-length rule has corner cases that other senders get wrong.
//   - Settings are independent: a timer or holdtime set while CDP is off is kept.
//
// # Bounds
//
// The neighbour table holds at most MaxNeighborsPerPort entries per port (default 32) and
// MaxNeighbors in total (default 1024); a stored neighbour keeps strings of at most 255
// bytes (1024 for the software version), at most 16 addresses per address TLV, no unknown
// TLVs, so the table stays within a few MiB. When a port is full, new neighbours from it are
// refused and counted as No memory; neighbours already known are still refreshed. When the
// whole table is full, a new neighbour replaces the soonest-expiring entry of the port with
// the most entries if that port has more than the new neighbour's port, and is refused
// otherwise. A flood of fake Device IDs therefore costs bounded memory, takes at most
// MaxNeighborsPerPort entries per flooding port, takes room from another port only when the
// table is full and that port holds more entries than the flooding one, and drains away at
// the flood's own holdtime.
//
// # Display
//
// Strings from the wire reach the show output only through Printable, which replaces every
// byte outside printable ASCII with '?' and caps the length, and only as arguments of
// format strings, never as the format.
package cdp
