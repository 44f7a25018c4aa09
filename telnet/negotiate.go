package telnet

// Side names whose end of the connection an option is enabled on. Telnet
// options are negotiated separately for each direction: WILL/WONT speak of
// the sender's side, DO/DONT of the receiver's.
type Side uint8

const (
	// Local is this end (the server): enabled by our WILL, asked for by the peer's DO.
	Local Side = iota
	// Remote is the peer (the client): enabled by its WILL, asked for by our DO.
	Remote
)

// Negotiation is one IAC WILL/WONT/DO/DONT <option> to send.
type Negotiation struct {
	Verb   byte
	Option byte
}

// Bytes returns the wire form, IAC Verb Option.
func (n Negotiation) Bytes() []byte { return []byte{IAC, n.Verb, n.Option} }

// RFC 1143 option states.
type qState uint8

const (
	qNo qState = iota
	qYes
	qWantNo
	qWantYes
)

// qSide is the state of one option on one side plus the RFC 1143 queue bit:
// opposite means "once the pending answer arrives, ask for the other state".
type qSide struct {
	state    qState
	opposite bool
}

// optionSet is a set of option codes.
type optionSet [4]uint64

func (s *optionSet) add(o byte)           { s[o>>6] |= 1 << (o & 63) }
func (s *optionSet) contains(o byte) bool { return s[o>>6]&(1<<(o&63)) != 0 }

// Negotiator tracks both sides of every option with the Q method of
// RFC 1143. It never answers a WILL or DO that does not change an option's
// state and refuses every option it was not told to accept, so it cannot
// take part in a negotiation loop. It does no I/O: its methods return what to
// send. It is not safe for concurrent use.
type Negotiator struct {
	acceptLocal  optionSet
	acceptRemote optionSet
	local        [256]qSide
	remote       [256]qSide
}

// NewNegotiator returns a negotiator that agrees to enable the options in
// local on this side and the options in remote on the peer's side, and
// refuses all others.
func NewNegotiator(local, remote []byte) *Negotiator {
	n := &Negotiator{}
	for _, o := range local {
		n.acceptLocal.add(o)
	}
	for _, o := range remote {
		n.acceptRemote.add(o)
	}
	return n
}

// Enabled reports whether an option is in effect on a side.
func (n *Negotiator) Enabled(side Side, opt byte) bool {
	return n.q(side, opt).state == qYes
}

// Pending reports whether this end is waiting for the answer to a request it
// made about an option.
func (n *Negotiator) Pending(side Side, opt byte) bool {
	s := n.q(side, opt).state
	return s == qWantYes || s == qWantNo
}

func (n *Negotiator) q(side Side, opt byte) *qSide {
	if side == Local {
		return &n.local[opt]
	}
	return &n.remote[opt]
}

// verbs returns the verbs that enable and disable an option on a side when
// this end sends them: WILL/WONT for our side, DO/DONT for the peer's.
func verbs(side Side) (yes, no byte) {
	if side == Local {
		return WILL, WONT
	}
	return DO, DONT
}

// Receive handles a WILL, WONT, DO or DONT from the peer and returns the
// answer to send, if any. Other verbs are ignored.
func (n *Negotiator) Receive(verb, opt byte) (Negotiation, bool) {
	switch verb {
	case WILL:
		return n.receiveYes(Remote, opt, n.acceptRemote.contains(opt))
	case WONT:
		return n.receiveNo(Remote, opt)
	case DO:
		return n.receiveYes(Local, opt, n.acceptLocal.contains(opt))
	case DONT:
		return n.receiveNo(Local, opt)
	}
	return Negotiation{}, false
}

// receiveYes handles the peer's WILL (side Remote) or DO (side Local).
func (n *Negotiator) receiveYes(side Side, opt byte, accept bool) (Negotiation, bool) {
	q := n.q(side, opt)
	yes, no := verbs(side)
	switch q.state {
	case qNo:
		if accept {
			q.state = qYes
			return Negotiation{yes, opt}, true
		}
		return Negotiation{no, opt}, true
	case qYes:
		// Already enabled: answering would start a loop.
	case qWantNo:
		// The peer answered our disable request with an enable: RFC 1143
		// treats that as a protocol error and settles on "no", unless we
		// had queued a change of mind, in which case "yes" is what we want.
		if q.opposite {
			q.state, q.opposite = qYes, false
		} else {
			q.state = qNo
		}
	case qWantYes:
		if q.opposite {
			q.state, q.opposite = qWantNo, false
			return Negotiation{no, opt}, true
		}
		q.state = qYes
	}
	return Negotiation{}, false
}

// receiveNo handles the peer's WONT (side Remote) or DONT (side Local).
func (n *Negotiator) receiveNo(side Side, opt byte) (Negotiation, bool) {
	q := n.q(side, opt)
	yes, no := verbs(side)
	switch q.state {
	case qNo:
		// Already disabled.
	case qYes:
		q.state = qNo
		return Negotiation{no, opt}, true
	case qWantNo:
		if q.opposite {
			q.state, q.opposite = qWantYes, false
			return Negotiation{yes, opt}, true
		}
		q.state = qNo
	case qWantYes:
		q.state, q.opposite = qNo, false
	}
	return Negotiation{}, false
}

// Request asks for an option to be enabled (on=true) or disabled on a side
// and returns what to send, if anything: nothing when the option is already
// in, or already heading for, the wanted state.
func (n *Negotiator) Request(side Side, opt byte, on bool) (Negotiation, bool) {
	q := n.q(side, opt)
	yes, no := verbs(side)
	want, wantVerb, away, awayState := qYes, yes, qNo, qWantYes
	if !on {
		want, wantVerb, away, awayState = qNo, no, qYes, qWantNo
	}
	switch q.state {
	case away:
		q.state = awayState
		return Negotiation{wantVerb, opt}, true
	case want:
		// Nothing to do.
	default:
		// A request is in flight. Queue the opposite if it heads away
		// from what we now want, cancel a queued opposite otherwise.
		heading := qYes
		if q.state == qWantNo {
			heading = qNo
		}
		q.opposite = heading != want
	}
	return Negotiation{}, false
}
