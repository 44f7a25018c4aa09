package cdp

// outgoing is an advertisement built under the lock and sent after it is released.
type outgoing struct {
	port    string
	version uint8
	frame   []byte // nil when it could not be built
}

// DefaultHostname is the Device ID announced before switchd sets one (IOS's default).
const DefaultHostname = "Switch"

// Advertisement returns the packet the agent announces on a port with the given settings,
// system and holdtime. It is what lisad puts on the wire:
//
//	Device ID         hostname
//	Addresses         management IPv4/IPv6 of the VLAN interfaces (TLV left out when none)
//	Port ID           the port's name
//	Capabilities      Switch, plus IGMP when snooping exists
//	Software Version  product, version, kernel
//	Platform
//	VTP domain        CDPv2, when one is set
//	Native VLAN       CDPv2, on trunks
//	Duplex            CDPv2
func Advertisement(s Settings, sys System, port PortAdvert, holdtime uint8) *Packet {
	p := &Packet{
		Version:         1,
		Holdtime:        holdtime,
		DeviceID:        sys.Hostname,
		PortID:          port.Name,
		Capabilities:    CapSwitch,
		HasCapabilities: true,
		SoftwareVersion: sys.SoftwareVersion,
		Platform:        sys.Platform,
	}
	if p.DeviceID == "" {
		p.DeviceID = DefaultHostname
	}
	if sys.IGMPSnooping {
		p.Capabilities |= CapIGMP
	}
	for _, addr := range sys.Addresses {
		if addr.IsValid() && !addr.IsUnspecified() && len(p.Addresses) < MaxAddresses {
			p.Addresses = append(p.Addresses, addr.WithZone(""))
		}
	}
	p.HasAddresses = len(p.Addresses) > 0
	if s.AdvertiseV2 {
		p.Version = 2
		p.VTPDomain, p.HasVTPDomain = sys.VTPDomain, sys.VTPDomain != ""
		if port.Trunk && port.NativeVLAN != 0 {
			p.NativeVLAN, p.HasNativeVLAN = port.NativeVLAN, true
		}
		p.Duplex = port.Duplex
	}
	return p
}

// PortAdvert is the per-port part of an advertisement.
type PortAdvert struct {
	Name       string
	Trunk      bool
	NativeVLAN uint16
	Duplex     Duplex
}

// advertise builds the frame for one port. Caller holds mu.
func (a *Agent) advertise(ps *portState, holdtime uint8) outgoing {
	p := Advertisement(a.settings, a.system,
		PortAdvert{Name: ps.name, Trunk: ps.trunk, NativeVLAN: ps.nativeVLAN, Duplex: ps.duplex}, holdtime)
	frame, err := EncodeFrame(ps.mac, p)
	if err != nil {
		a.log.Error("cdp: cannot build advertisement", "port", ps.name, "err", err)
	}
	return outgoing{port: ps.name, version: p.Version, frame: frame}
}

// transmit sends what advertise built, outside the lock, and counts it.
func (a *Agent) transmit(out []outgoing) {
	for _, o := range out {
		if o.frame == nil {
			a.count.encapsFailed.Add(1)
			continue
		}
		if a.send == nil {
			continue
		}
		if err := a.send.Send(o.port, o.frame); err != nil {
			a.count.encapsFailed.Add(1)
			a.log.Debug("cdp: send failed", "port", o.port, "err", err)
			continue
		}
		if o.version == 1 {
			a.count.outputV1.Add(1)
		} else {
			a.count.outputV2.Add(1)
		}
	}
}
