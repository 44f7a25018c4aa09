package cdp

import "sync/atomic"

// Counters are the agent's traffic counters, as `show cdp traffic` prints them.
// Every received CDP frame lands in exactly one of InputV1, InputV2, HdrSyntax, Malformed and
// UnknownVersion; ChecksumErrors and NoMemory count frames that are also in InputV1/InputV2
// (a bad checksum is accepted, like lldpd does; a full table drops the new neighbour).
type Counters struct {
	OutputV1, OutputV2 uint64 // advertisements sent, per version
	InputV1, InputV2   uint64 // advertisements decoded, per version
	HdrSyntax          uint64 // frame, 802.3, LLC/SNAP or CDP header truncated or inconsistent
	ChecksumErrors     uint64 // checksum did not verify (frame accepted all the same)
	EncapsFailed       uint64 // advertisements that could not be built or sent
	NoMemory           uint64 // new neighbours refused because the table was full
	Malformed          uint64 // TLVs do not parse, or no Device ID ("Invalid packet")
	UnknownVersion     uint64 // CDP version other than 1 and 2
}

// Output is the total number of advertisements sent.
func (c Counters) Output() uint64 { return c.OutputV1 + c.OutputV2 }

// Input is the total number of CDP frames received, good or bad.
func (c Counters) Input() uint64 {
	return c.InputV1 + c.InputV2 + c.HdrSyntax + c.Malformed + c.UnknownVersion
}

// counters is the live, lock-free form of Counters (the receive path updates it without
// taking the agent's lock).
type counters struct {
	outputV1, outputV2, inputV1, inputV2, hdrSyntax, checksumErrors,
	encapsFailed, noMemory, malformed, unknownVersion atomic.Uint64
}

func (c *counters) snapshot() Counters {
	return Counters{
		OutputV1: c.outputV1.Load(), OutputV2: c.outputV2.Load(),
		InputV1: c.inputV1.Load(), InputV2: c.inputV2.Load(),
		HdrSyntax: c.hdrSyntax.Load(), ChecksumErrors: c.checksumErrors.Load(),
		EncapsFailed: c.encapsFailed.Load(), NoMemory: c.noMemory.Load(),
		Malformed: c.malformed.Load(), UnknownVersion: c.unknownVersion.Load(),
	}
}

func (c *counters) reset() {
	for _, v := range []*atomic.Uint64{&c.outputV1, &c.outputV2, &c.inputV1, &c.inputV2,
		&c.hdrSyntax, &c.checksumErrors, &c.encapsFailed, &c.noMemory, &c.malformed, &c.unknownVersion} {
		v.Store(0)
	}
}
