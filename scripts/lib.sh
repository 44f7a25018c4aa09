# Shared by scripts/quickstart and scripts/check: find or install what
# LiSA-Go needs on a Debian machine.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
GO_WANT=$(awk '/^go /{print $2; exit}' "$ROOT/go.mod")
TOOLCHAIN_DIR=/usr/local/lib/lisa-go/go$GO_WANT

need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "$(basename "$0"): run me as root (sudo $0)" >&2
		exit 2
	fi
}

# apt_install installs Debian packages, refreshing the index once.
APT_UPDATED=0
apt_install() {
	missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if [ $APT_UPDATED = 0 ]; then
		apt-get update -qq
		APT_UPDATED=1
	fi
	echo "installing:$missing" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

go_ok() { # go_ok BIN: is BIN a Go toolchain at least as new as go.mod wants?
	[ -x "$1" ] || return 1
	v=$(GOTOOLCHAIN=local "$1" env GOVERSION 2>/dev/null | sed 's/^go//') || return 1
	[ -n "$v" ] && [ "$(printf '%s\n%s\n' "$GO_WANT" "$v" | sort -V | head -1)" = "$GO_WANT" ]
}

# find_go sets GO to a suitable toolchain, installing one if needed. An older
# Go (the machine's, else Debian's, which is too old to build this module) is
# used only to fetch the toolchain go.mod asks for from the Go module proxy.
find_go() {
	bootstrap=""
	for cand in "$(command -v go || true)" /usr/local/go/bin/go "$TOOLCHAIN_DIR/bin/go"; do
		[ -n "$cand" ] && [ -x "$cand" ] || continue
		if go_ok "$cand"; then GO=$cand; return 0; fi
		[ -n "$bootstrap" ] || bootstrap=$cand
	done
	if [ -z "$bootstrap" ]; then
		apt_install golang-go ca-certificates
		bootstrap=/usr/bin/go
	fi
	echo "fetching Go $GO_WANT from the Go module proxy" >&2
	tmp=$(mktemp -d)
	dir=$(cd "$tmp" && GOPATH="$tmp/gopath" GOMODCACHE="$tmp/mod" GOFLAGS=-modcacherw GOTOOLCHAIN=local \
		"$bootstrap" mod download -json "golang.org/toolchain@v0.0.1-go$GO_WANT.linux-$(dpkg --print-architecture)" |
		sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
	[ -n "$dir" ] || { echo "could not download Go $GO_WANT from the Go module proxy" >&2; exit 1; }
	mkdir -p "$(dirname "$TOOLCHAIN_DIR")"
	rm -rf "$TOOLCHAIN_DIR"
	cp -r "$dir" "$TOOLCHAIN_DIR"
	chmod -R u+w "$TOOLCHAIN_DIR"
	chmod +x "$TOOLCHAIN_DIR"/bin/* "$TOOLCHAIN_DIR"/pkg/tool/*/*
	rm -rf "$tmp"
	GO=$TOOLCHAIN_DIR/bin/go
	go_ok "$GO" || { echo "the downloaded Go does not run" >&2; exit 1; }
}

# Packages the switch itself needs at run time.
RUNTIME_PKGS="iproute2 ethtool make tcpdump iputils-ping"
# Packages the test suite drives: real peers and real clients.
TEST_PKGS="iproute2 ethtool make gcc libc6-dev tcpdump tshark lldpd iperf3 python3 python3-scapy
 openvswitch-switch openssh-client openssh-server inetutils-telnet tmux systemd procps iputils-ping rsyslog dnsmasq-base"
