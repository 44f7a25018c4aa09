// Package cli is an IOS-style command interpreter: the grammar of every mode is
// declared as data in a small command-definition language, one matcher serves all
// modes, and the same session code gives `?` help, TAB completion, Cisco error
// messages, privilege levels, output modifiers, paging and history over any
// byte stream (local socket, telnet, SSH).
//
// # Command-definition language
//
// A command is declared with a syntax string in the spirit of FRR's DEFUN strings:
//
//	show mac address-table [dynamic|static] [address H.H.H] [vlan <1-4094>]
//	switchport trunk allowed vlan {VLANLIST | add VLANLIST | all | none}
//	description LINE
//
// Tokens are keywords (matched case-insensitively by unique prefix, an exact match
// wins) or placeholders:
//
//	WORD       any single token
//	LINE       the rest of the line, spaces included
//	<a-b>      a decimal number in [a,b]
//	H.H.H      a MAC address in Cisco notation (1-4 hex digits per group)
//	A.B.C.D    an IPv4 address
//	X:X::X:X   an IPv6 address
//	X:X:X:X::X/<0-128>  an IPv6 prefix (address/length)
//	NAME       any placeholder type registered with Interpreter.RegisterType
//
// `[ ... ]` is optional, `{ a | b }` a required choice and `[ a | b ]` an optional
// choice; groups nest. A placeholder's value is found in Args under the keyword
// that precedes it (`vlan <1-4094>` is Args.Int("vlan")); `$name` after a token
// names it explicitly.
//
// Every syntax is expanded into token sequences that are merged into one tree per
// mode, so help, completion and matching all walk the same tree.
package cli
