#!/usr/bin/python3
"""bench-plot.py RESULTS.tsv OUT.svg [LABEL...]

Draws the peer comparison of a peers.sh results file as an SVG (standard
library only, no plotting package): left, each switch's throughput as a
fraction of the Linux bridge (TCP x1, TCP x4, iperf3 UDP 64B, blast 64B);
right, ping average and p99 in milliseconds. Medians of the runs.
"""
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchtsv  # noqa: E402

THRU = [("tcp1", "gbps", "TCP x1"), ("tcp4", "gbps", "TCP x4"),
        ("udp64", "delivered_kpps", "UDP 64B"), ("blast", "delivered_kpps", "blast 64B")]
LAT = [("ping", "avg_ms", "ping avg"), ("ping", "p99_ms", "ping p99")]
COLORS = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c"]


def load(path):
    data, labels = benchtsv.load(path)
    return {k: statistics.median(v) for k, v in data.items()}, labels


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;")


def panel(out, x0, y0, w, h, groups, labels, values, ymax, title, fmt, ref=None):
    out.append('<text x="%d" y="%d" font-size="14" font-weight="bold">%s</text>' % (x0, y0 - 10, esc(title)))
    out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>' % (x0, y0 + h, x0 + w, y0 + h))
    out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>' % (x0, y0, x0, y0 + h))
    for i in range(5):
        v = ymax * i / 4
        y = y0 + h - h * i / 4
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>' % (x0, y, x0 + w, y))
        out.append('<text x="%d" y="%.1f" font-size="10" text-anchor="end">%s</text>' % (x0 - 4, y + 3, fmt(v)))
    if ref is not None:
        y = y0 + h - h * ref / ymax
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#000" stroke-dasharray="4,3"/>' % (x0, y, x0 + w, y))
    gw = w / len(groups)
    bw = gw * 0.8 / max(len(labels), 1)
    for gi, g in enumerate(groups):
        gx = x0 + gi * gw + gw * 0.1
        for li, lb in enumerate(labels):
            v = values.get((lb, g))
            if v is None:
                continue
            bh = h * min(v, ymax) / ymax
            x = gx + li * bw
            out.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s: %s</title></rect>'
                       % (x, y0 + h - bh, bw - 1, bh, COLORS[li % len(COLORS)], esc(lb), esc(g), fmt(v)))
            out.append('<text x="%.1f" y="%.1f" font-size="8" text-anchor="middle">%s</text>'
                       % (x + bw / 2, y0 + h - bh - 2, fmt(v)))
        out.append('<text x="%.1f" y="%d" font-size="11" text-anchor="middle">%s</text>' % (gx + gw * 0.4, y0 + h + 14, esc(g)))


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    med, labels = load(sys.argv[1])
    if len(sys.argv) > 3:
        labels = [lb for lb in sys.argv[3:] if lb in labels]
    ref = "bridge"
    thru = {}
    for lb in labels:
        for test, metric, name in THRU:
            v, b = med.get((lb, test, metric)), med.get((ref, test, metric))
            if v is not None and b:
                thru[(lb, name)] = v / b
    lat = {}
    for lb in labels:
        for test, metric, name in LAT:
            v = med.get((lb, test, metric))
            if v is not None:
                lat[(lb, name)] = v
    W, H = 980, 400
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif">' % (W, H),
           '<rect width="100%" height="100%" fill="white"/>']
    tmax = max([1.2] + [v * 1.1 for v in thru.values()])
    panel(out, 60, 40, 520, 260, [n for _, _, n in THRU], labels, thru, tmax,
          "Throughput relative to the Linux bridge (dashed = 1.0)", lambda v: "%.2f" % v, ref=1.0)
    lmax = max([0.05] + [v * 1.1 for v in lat.values()])
    panel(out, 660, 40, 280, 260, [n for _, _, n in LAT], labels, lat, lmax, "Latency, ms (lower is better)",
          lambda v: "%.3f" % v)
    for li, lb in enumerate(labels):
        x = 60 + (li % 4) * 220
        y = 345 + (li // 4) * 18
        out.append('<rect x="%d" y="%d" width="12" height="12" fill="%s"/>' % (x, y, COLORS[li % len(COLORS)]))
        out.append('<text x="%d" y="%d" font-size="12">%s</text>' % (x + 16, y + 10, esc(lb)))
    out.append("</svg>")
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
