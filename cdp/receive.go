package cdp

import (
	"errors"
	"fmt"
)

// Receive handles a frame the engine punted from port (the engine owns frame and may reuse
// it once Receive returns: nothing is kept). Frames are taken only on ports where CDP runs.
// It never panics: a decoder bug on some hostile frame counts as a malformed frame.
func (a *Agent) Receive(port string, frame []byte) {
	a.mu.Lock()
	ps, ok := a.ports[port]
	take := ok && ps.active(a.settings)
	a.mu.Unlock()
	if !take {
		return
	}
	f, err := safeDecode(frame)
	if err != nil {
		a.countBad(port, err)
		return
	}
	if f.DeviceID == "" { // a neighbour is keyed by its Device ID: no ID, no neighbour
		a.count.malformed.Add(1)
		a.log.Debug("cdp: frame without Device ID", "port", port)
		return
	}
	if f.Version == 1 {
		a.count.inputV1.Add(1)
	} else {
		a.count.inputV2.Add(1)
	}
	if !f.ChecksumOK {
		a.count.checksumErrors.Add(1)
		a.log.Debug("cdp: bad checksum, frame accepted", "port", port)
	}
	a.learn(port, f)
}

// learn updates the neighbour table from a decoded frame.
func (a *Agent) learn(port string, f *Frame) {
	now := a.clock.Now()
	n := storedCopy(port, f, now)
	a.mu.Lock()
	defer a.mu.Unlock()
	// The port may have gone down while the frame was being decoded.
	if ps, ok := a.ports[port]; !ok || !ps.active(a.settings) {
		return
	}
	device := Printable(n.DeviceID, 64)
	if f.Holdtime == 0 {
		if a.table.remove(port, n.DeviceID) != nil {
			a.log.Info("cdp neighbor left (holdtime 0)", "port", port, "device", device)
		}
		return
	}
	res, evicted := a.table.upsert(n)
	switch res {
	case neighborAdded:
		a.log.Info("cdp neighbor added", "port", port, "device", device)
		if evicted != nil {
			a.log.Warn("cdp neighbor table full: evicted an entry of the busiest port",
				"port", evicted.LocalPort, "device", Printable(evicted.DeviceID, 64))
		}
		a.poke(n.Expires)
	case neighborRefreshed:
		a.poke(n.Expires)
	case neighborRefused:
		// Logged on the first refusal and every 1000th, so a flood cannot flood the log too.
		if refused := a.count.noMemory.Add(1); refused == 1 || refused%1000 == 0 {
			a.log.Warn("cdp neighbor table full: new neighbor refused", "port", port, "device", device,
				"refused", refused)
		}
	}
}

func (a *Agent) countBad(port string, err error) {
	switch {
	case errors.Is(err, ErrNotCDP):
		return // someone else's frame (VTP, DTP, ...): not ours to count
	case errors.Is(err, ErrHeader):
		a.count.hdrSyntax.Add(1)
	case errors.Is(err, ErrVersion):
		a.count.unknownVersion.Add(1)
	default:
		a.count.malformed.Add(1)
	}
	a.log.Debug("cdp: frame dropped", "port", port, "err", err)
}

// safeDecode is DecodeFrame with a recover: defence in depth, since a panic here would take
// the whole switch down.
func safeDecode(frame []byte) (f *Frame, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("%w: decoder panic: %v", ErrMalformed, r)
		}
	}()
	return DecodeFrame(frame)
}
