// Package enginetest provides a fake engine.Host for tests that need a
// switch without root: links are in-memory, frames are injected with Inject
// and what the engine transmits is read from Sent. It also builds Ethernet
// frames (Frame) for such tests.
package enginetest
