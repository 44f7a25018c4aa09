#!/usr/bin/env bash
# capture-lldpd.sh - regenerate lldpd-cdpv1.pcap and lldpd-cdpv2.pcap: real CDP frames sent by
# lldpd (-cc = CDPv1, -ccc = CDPv2) between two namespaces it creates and always deletes.
# Needs root, lldpd, tcpdump. Recipe from shared/bench/proto-peers.sh.
# usage: capture-lldpd.sh [OUTDIR]
set -eu
OUT=$(cd "${1:-$(dirname "$0")}" && pwd)
A=cdpcap-a-$$; B=cdpcap-b-$$
WORK=$(mktemp -d /tmp/cdpcap.XXXXXX); chmod 755 "$WORK"
PIDS=()
cleanup() {
  set +e
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
ip netns add $A; ip netns add $B
ip link add eth0 netns $A address 02:98:00:00:00:01 type veth peer name eth0 netns $B address 02:98:00:00:00:02
ip -n $A addr add 10.99.0.1/24 dev eth0
ip -n $A link set eth0 up; ip -n $B link set eth0 up; ip -n $A link set lo up; ip -n $B link set lo up
mkdir -p /run/lldpd
printf 'configure system hostname lldpd-peer\nconfigure system platform lldpd-test\nconfigure lldp tx-interval 1\n' >"$WORK/a.conf"
for v in 1 2; do
  flags=-cc; [ $v = 2 ] && flags=-ccc
  ip netns exec $B tcpdump -i eth0 -nn -U -c 1 -w "$WORK/v$v.pcap" 'ether dst 01:00:0c:cc:cc:cc' >/dev/null 2>&1 &
  TP=$!; PIDS+=($TP); sleep 1
  ip netns exec $A lldpd -d $flags -I eth0 -u "$WORK/a$v.sock" -p "$WORK/a$v.pid" -O "$WORK/a.conf" >"$WORK/lldpd$v.log" 2>&1 &
  LA=$!; PIDS+=($LA)
  wait $TP
  kill $LA; wait $LA 2>/dev/null || true
  cp "$WORK/v$v.pcap" "$OUT/lldpd-cdpv$v.pcap"
done
echo "wrote $OUT/lldpd-cdpv1.pcap $OUT/lldpd-cdpv2.pcap"
