package telnet

import (
	"math/rand/v2"
	"testing"
)

func TestNegotiatorReceive(t *testing.T) {
	type step struct {
		verb, opt byte
		reply     Negotiation
		send      bool
	}
	none := Negotiation{}
	tests := []struct {
		name  string
		steps []step
		check func(*Negotiator) bool
	}{
		{"client offers NAWS: accept once", []step{
			{WILL, OptNAWS, Negotiation{DO, OptNAWS}, true},
			{WILL, OptNAWS, none, false}, // already on: no answer, no loop
		}, func(n *Negotiator) bool { return n.Enabled(Remote, OptNAWS) }},
		{"client offers ECHO: refuse", []step{
			{WILL, OptEcho, Negotiation{DONT, OptEcho}, true},
		}, func(n *Negotiator) bool { return !n.Enabled(Remote, OptEcho) }},
		{"client asks us to echo: agree once", []step{
			{DO, OptEcho, Negotiation{WILL, OptEcho}, true},
			{DO, OptEcho, none, false},
		}, func(n *Negotiator) bool { return n.Enabled(Local, OptEcho) }},
		{"unknown option is refused both ways", []step{
			{DO, 200, Negotiation{WONT, 200}, true},
			{WILL, 200, Negotiation{DONT, 200}, true},
			{DO, OptLinemode, Negotiation{WONT, OptLinemode}, true},
			{WILL, OptBinary, Negotiation{DONT, OptBinary}, true},
		}, func(n *Negotiator) bool { return !n.Enabled(Local, 200) && !n.Enabled(Remote, 200) }},
		{"WONT for a disabled option is ignored", []step{
			{WONT, OptNAWS, none, false},
			{DONT, OptEcho, none, false},
		}, nil},
		{"client turns NAWS off: acknowledge", []step{
			{WILL, OptNAWS, Negotiation{DO, OptNAWS}, true},
			{WONT, OptNAWS, Negotiation{DONT, OptNAWS}, true},
			{WONT, OptNAWS, none, false},
		}, func(n *Negotiator) bool { return !n.Enabled(Remote, OptNAWS) }},
		{"client tells us to stop echoing", []step{
			{DO, OptEcho, Negotiation{WILL, OptEcho}, true},
			{DONT, OptEcho, Negotiation{WONT, OptEcho}, true},
		}, func(n *Negotiator) bool { return !n.Enabled(Local, OptEcho) }},
		{"other verbs are ignored", []step{{SB, OptNAWS, none, false}, {IP, 1, none, false}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := NewNegotiator(serverLocalOptions, serverRemoteOptions)
			for i, s := range tt.steps {
				reply, send := n.Receive(s.verb, s.opt)
				if reply != s.reply || send != s.send {
					t.Errorf("step %d: %s %s -> %v %v, want %v %v", i, CommandName(s.verb), OptionName(s.opt),
						reply, send, s.reply, s.send)
				}
			}
			if tt.check != nil && !tt.check(n) {
				t.Error("final state is wrong")
			}
		})
	}
}

func TestNegotiatorRequest(t *testing.T) {
	n := NewNegotiator(serverLocalOptions, serverRemoteOptions)
	if got, ok := n.Request(Local, OptEcho, true); !ok || got != (Negotiation{WILL, OptEcho}) {
		t.Fatalf("Request(ECHO) = %v %v", got, ok)
	}
	if !n.Pending(Local, OptEcho) {
		t.Fatal("ECHO not pending after request")
	}
	if _, ok := n.Request(Local, OptEcho, true); ok {
		t.Fatal("second request sent again while pending")
	}
	// The client agrees: DO ECHO is the answer, not a new request.
	if got, ok := n.Receive(DO, OptEcho); ok {
		t.Fatalf("answer to our WILL was answered: %v", got)
	}
	if !n.Enabled(Local, OptEcho) || n.Pending(Local, OptEcho) {
		t.Fatal("ECHO not enabled after DO")
	}
	if _, ok := n.Request(Local, OptEcho, true); ok {
		t.Fatal("request for an enabled option sent something")
	}

	// We ask for NAWS, the client refuses: no answer to the refusal.
	if got, ok := n.Request(Remote, OptNAWS, true); !ok || got != (Negotiation{DO, OptNAWS}) {
		t.Fatalf("Request(NAWS) = %v %v", got, ok)
	}
	if got, ok := n.Receive(WONT, OptNAWS); ok {
		t.Fatalf("refusal answered: %v", got)
	}
	if n.Enabled(Remote, OptNAWS) || n.Pending(Remote, OptNAWS) {
		t.Fatal("NAWS state wrong after refusal")
	}

	// Change of mind while a request is in flight is queued (RFC 1143).
	if _, ok := n.Request(Remote, OptTTYPE, true); !ok {
		t.Fatal("no DO TTYPE")
	}
	if _, ok := n.Request(Remote, OptTTYPE, false); ok {
		t.Fatal("disable while WANTYES sent at once")
	}
	got, ok := n.Receive(WILL, OptTTYPE)
	if !ok || got != (Negotiation{DONT, OptTTYPE}) {
		t.Fatalf("queued disable: got %v %v, want DONT TTYPE", got, ok)
	}
	if _, ok := n.Receive(WONT, OptTTYPE); ok || n.Enabled(Remote, OptTTYPE) || n.Pending(Remote, OptTTYPE) {
		t.Fatal("TTYPE did not settle on off")
	}

	// Disabling an enabled option.
	n.Receive(DO, OptSGA)
	if got, ok := n.Request(Local, OptSGA, false); !ok || got != (Negotiation{WONT, OptSGA}) {
		t.Fatalf("disable SGA = %v %v", got, ok)
	}
	if _, ok := n.Receive(DONT, OptSGA); ok || n.Enabled(Local, OptSGA) {
		t.Fatal("SGA did not settle on off")
	}
}

// TestNegotiatorsNeverLoop lets two negotiators with different policies
// exchange random requests and checks that every exchange dies out quickly
// and both ends agree on every option.
func TestNegotiatorsNeverLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	opts := []byte{OptEcho, OptSGA, OptNAWS, OptTTYPE, OptBinary, 77}
	for round := 0; round < 2000; round++ {
		a := NewNegotiator(serverLocalOptions, serverRemoteOptions)
		b := NewNegotiator([]byte{OptNAWS, OptTTYPE, OptSGA, OptBinary}, []byte{OptEcho, OptSGA, OptBinary})
		type msg struct {
			toA bool
			n   Negotiation
		}
		var queue []msg
		// deliver hands the oldest message in flight to its receiver and
		// queues the answer, if any.
		deliver := func() {
			m := queue[0]
			queue = queue[1:]
			dst := b
			if m.toA {
				dst = a
			}
			if r, ok := dst.Receive(m.n.Verb, m.n.Option); ok {
				queue = append(queue, msg{!m.toA, r})
			}
		}
		for i := 0; i < 8; i++ {
			fromA := rng.IntN(2) == 0
			side := Side(rng.IntN(2))
			opt := opts[rng.IntN(len(opts))]
			on := rng.IntN(3) != 0
			src := b
			if fromA {
				src = a
			}
			if n, ok := src.Request(side, opt, on); ok {
				queue = append(queue, msg{!fromA, n})
			}
			// Deliver some messages between requests, in order.
			for k := rng.IntN(3); k > 0 && len(queue) > 0; k-- {
				deliver()
			}
		}
		for steps := 0; len(queue) > 0; steps++ {
			if steps > 100 {
				t.Fatalf("round %d: negotiation loop", round)
			}
			deliver()
		}
		for _, o := range opts {
			if a.Enabled(Local, o) != b.Enabled(Remote, o) || a.Enabled(Remote, o) != b.Enabled(Local, o) {
				t.Fatalf("round %d: ends disagree on %s", round, OptionName(o))
			}
		}
	}
}
