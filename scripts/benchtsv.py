"""Reading peers.sh result files (label, test, run, metric, value rows),
shared by bench-table.py and bench-plot.py."""


def load(path):
    """Returns {(label, test, metric): [values]} and the labels in order."""
    data, labels = {}, []
    for line in open(path):
        p = line.rstrip("\n").split("\t")
        if len(p) != 5:
            continue
        if p[0] not in labels:
            labels.append(p[0])
        try:
            v = float(p[4])
        except ValueError:
            continue
        if v == v:  # not NaN
            data.setdefault((p[0], p[1], p[3]), []).append(v)
    return data, labels
