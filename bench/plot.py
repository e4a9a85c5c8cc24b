#!/usr/bin/python3
"""plot.py: bench/results/NAME.csv -> bench/results/NAME.png

Grouped bars: one group per scenario, one bar per configuration, wall
seconds on a log axis (a clean build and a no-op make differ 30x). Each bar
is labelled with its seconds and the number of compiles that reached the
compiler; a bar whose make relinked the product is hatched.

Usage:
    /usr/bin/python3 bench/plot.py [NAME...]    # default: kernel git (those that exist)

Needs matplotlib: Debian's python3-matplotlib (apt-get install -y
python3-matplotlib) for /usr/bin/python3, or pip install matplotlib.
Reads the columns config, scenario, seconds, compiles, relinked and the
product's hash (vmlinux_sha256 or sha256); others are ignored. Also prints
a markdown table of each file. When a configuration appears twice for a scenario, the last
row wins.
"""
import csv
import os
import sys

try:
    import matplotlib
except ImportError:
    sys.exit("plot.py: needs matplotlib (apt-get install -y python3-matplotlib, "
             "then run it with /usr/bin/python3; or pip install matplotlib)")

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results")
# Known configurations in a fixed order (and colour); others follow.
ORDER = ["plain", "ccache", "stablecc", "stablecc-ccache", "stablecc-keep", "stablecc-bare"]
LABELS = {
    "plain": "gcc",
    "ccache": "ccache gcc",
    "stablecc": "stablecc gcc, STABLE_SETTLE=1, AR=stable-ar",
    "stablecc-ccache": "stablecc ccache gcc, STABLE_SETTLE=1, AR=stable-ar",
    "stablecc-keep": "stablecc gcc (default: unchanged objects keep their mtime)",
    "stablecc-bare": "stablecc gcc, default, objtool unwrapped",
}


def load(path):
    scenarios, configs, data = [], [], {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            c, s = r["config"], r["scenario"]
            if s not in scenarios:
                scenarios.append(s)
            if c not in configs:
                configs.append(c)
            sha = r.get("vmlinux_sha256") or r.get("sha256") or ""
            data[(c, s)] = (float(r["seconds"]), r.get("compiles", ""), r["relinked"] == "yes", sha[:16])
    configs.sort(key=lambda c: (ORDER.index(c) if c in ORDER else len(ORDER), c))
    return scenarios, configs, data


def plot(name):
    scenarios, configs, data = load(os.path.join(RESULTS, name + ".csv"))
    if not configs:
        print(f"plot.py: {name}.csv has no rows", file=sys.stderr)
        return
    fig, ax = plt.subplots(figsize=(12, 5.5))
    width = 0.8 / len(configs)
    handles = []
    for i, c in enumerate(configs):
        xs, ys, hatches, labels = [], [], [], []
        for j, s in enumerate(scenarios):
            if (c, s) not in data:
                continue
            secs, compiles, relinked, _ = data[(c, s)]
            xs.append(j + (i - (len(configs) - 1) / 2) * width)
            ys.append(max(secs, 0.05))
            hatches.append("//" if relinked else "")
            labels.append(f"{secs:g}s\n{compiles}cc" if compiles != "" else f"{secs:g}s")
        bars = ax.bar(xs, ys, width, color=f"C{i}", edgecolor="black", linewidth=0.4)
        handles.append(Patch(facecolor=f"C{i}", edgecolor="black", linewidth=0.4, label=LABELS.get(c, c)))
        for b, h, lab in zip(bars, hatches, labels):
            b.set_hatch(h)
            ax.annotate(lab, (b.get_x() + b.get_width() / 2, b.get_height()),
                        ha="center", va="bottom", fontsize=6)
    ax.set_xticks(range(len(scenarios)))
    ax.set_xticklabels(scenarios)
    ax.set_yscale("log")
    ax.set_ylabel("wall seconds (log scale)")
    ax.set_title(f"{name}: one make per scenario, -j2 on 2 cores "
                 "(label: seconds, compiles that ran; hatched: product relinked)", fontsize=9)
    handles.append(Patch(facecolor="white", edgecolor="black", hatch="//", label="relinked"))
    ax.legend(handles=handles, fontsize=7, loc="upper right")
    ax.margins(y=0.15)
    fig.tight_layout()
    out = os.path.join(RESULTS, name + ".png")
    fig.savefig(out, dpi=110)
    print(out)


def table(name):
    """Markdown: one row per scenario, per configuration seconds / compiles / relink."""
    scenarios, configs, data = load(os.path.join(RESULTS, name + ".csv"))
    print("| scenario | " + " | ".join(configs) + " |")
    print("|---" * (len(configs) + 1) + "|")
    for s in scenarios:
        cells = []
        for c in configs:
            if (c, s) not in data:
                cells.append("")
                continue
            secs, compiles, relinked, _ = data[(c, s)]
            cells.append(f"{secs:.1f} s, {compiles} cc{', relink' if relinked and s != 'clean' else ''}")
        print(f"| {s} | " + " | ".join(cells) + " |")
    shas = {v[3] for v in data.values()}
    print(f"\nProduct hash equal in every run: {'yes' if len(shas) == 1 else 'NO: ' + ', '.join(sorted(shas))}")


if __name__ == "__main__":
    names = sys.argv[1:] or [n for n in ("kernel", "git")
                             if os.path.exists(os.path.join(RESULTS, n + ".csv"))]
    for n in names:
        plot(n)
        table(n)
