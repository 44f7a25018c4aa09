#!/usr/bin/python3
"""bench-table.py RESULTS.tsv [--md] [--lisa LABEL]

Side-by-side table of a peers.sh results file (label, test, run, metric,
value rows): the median of every metric per switch, then the ratio of the
lisad column against each peer. A ratio > 1 is better for lisad on
throughput rows and worse on latency, loss and CPU rows. With columns
LISA-chain-trunk and LISA-chain-access (scripts/bench-switch LISA_CHAIN) it
adds their ratio: the cost of tagging. Only the standard library.
"""
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchtsv import load  # noqa: E402

ROWS = [  # test, metric, name, higher is better (not used in the table)
    ("tcp1", "gbps", "TCP x1 Gbit/s", True),
    ("tcp4", "gbps", "TCP x4 Gbit/s", True),
    ("tcp1", "retrans", "TCP x1 retransmits", False),
    ("tcp1", "sw_cpu_pct", "switch CPU % (TCP x1)", False),
    ("udp64", "delivered_kpps", "iperf3 UDP 64B delivered kpps", True),
    ("udp64", "loss_pct", "iperf3 UDP 64B loss %", False),
    ("blast", "offered_kpps", "blast offered kpps", True),
    ("blast", "delivered_kpps", "blast 64B delivered kpps", True),
    ("blast", "loss_pct", "blast loss %", False),
    ("blast", "sw_cpu_pct", "switch CPU % (blast)", False),
    ("blast@100000", "loss_pct", "loss % at 100 kpps", False),
    ("blast@100000", "sw_cpu_pct", "switch CPU % at 100 kpps", False),
    ("ping", "avg_ms", "ping avg ms", False),
    ("ping", "p99_ms", "ping p99 ms", False),
]


def fmt(v):
    if v is None:
        return "-"
    if v == 0:
        return "0"
    if abs(v) >= 100:
        return "%.0f" % v
    if abs(v) >= 10:
        return "%.1f" % v
    if abs(v) >= 1:
        return "%.2f" % v
    return "%.3f" % v


def main():
    args = sys.argv[1:]
    md = "--md" in args
    lisa = "lisad"
    if "--lisa" in args:
        lisa = args[args.index("--lisa") + 1]
    paths = [a for a in args if not a.startswith("--") and a != lisa]
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    data, labels = load(paths[0])
    med = {k: statistics.median(v) for k, v in data.items()}
    peers = [lb for lb in labels if lb != lisa and not lb.startswith(lisa + "-chain")]
    hdr = ["metric (median)"] + labels
    if lisa in labels:
        hdr += ["%s / %s" % (lisa, p) for p in peers]
    chain = (lisa + "-chain-trunk", lisa + "-chain-access")
    has_chain = chain[0] in labels and chain[1] in labels
    if has_chain:
        hdr.append("trunk chain / access chain")
    rows = []
    for test, metric, name, _ in ROWS:
        vals = [med.get((lb, test, metric)) for lb in labels]
        if all(v is None for v in vals):
            continue
        row = [name] + [fmt(v) for v in vals]
        if lisa in labels:
            mine = med.get((lisa, test, metric))
            for p in peers:
                other = med.get((p, test, metric))
                if mine is None or other is None or other == 0:
                    row.append("-")
                else:
                    row.append("%.2fx" % (mine / other))
        if has_chain:
            tr, ac = med.get((chain[0], test, metric)), med.get((chain[1], test, metric))
            row.append("-" if tr is None or not ac else "%.2fx" % (tr / ac))
        rows.append(row)
    if md:
        print("| " + " | ".join(hdr) + " |")
        print("|" + "---|" * len(hdr))
        for r in rows:
            print("| " + " | ".join(r) + " |")
    else:
        w = [max(len(r[i]) for r in rows + [hdr]) for i in range(len(hdr))]
        for r in [hdr] + rows:
            print("  ".join(c.ljust(w[i]) for i, c in enumerate(r)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
