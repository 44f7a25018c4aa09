// Package nstest gives tests real network plumbing that cleans up after
// itself: named network namespaces (New), veth pairs between them (Veth),
// commands run inside them (Run, Start) and Go code run inside them (Do).
//
// Everything is removed with t.Cleanup, also when the test fails. Names carry
// a prefix unique to the test binary (process id and a counter), so test
// binaries running in parallel never collide; interfaces are created directly
// inside the namespaces, never in the caller's. Without root the helpers skip
// the test with the reason.
//
// Do runs a function on a locked OS thread switched into the namespace
// (containernetworking/plugins style). Goroutines started inside it do not
// inherit the namespace; sockets and netlink handles created inside it stay
// bound to it for their whole life, which is how an engine under test is
// started in its own namespace.
//
// Typical use:
//
//	nstest.RequireRoot(t)
//	sw, h1 := nstest.New(t, "sw"), nstest.New(t, "h1")
//	nstest.Veth(t, h1, "eth0", sw, "vif1.0")
//	h1.MustRun(t, "ip", "addr", "add", "10.99.0.1/24", "dev", "eth0")
//	err := sw.Do(func() error { ... })
package nstest
