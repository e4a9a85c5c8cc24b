#!/usr/bin/python3
"""plot.py: markdown tables of bench/results/NAME.csv, and NAME.png beside it

Usage:
    /usr/bin/python3 bench/plot.py [--no-png] [NAME|FILE.csv ...]
    # default: kernel git (those of bench/results/ that exist)

For each results file (kernel.sh's and git.sh's; the columns are read by
name, others are ignored) it prints three markdown tables:

- per scenario, per configuration: wall seconds, compiles that reached the
  compiler, whether the product was relinked; a cell whose products differ
  from plain's for that scenario, or whose make reported verify mismatches,
  says so in bold;
- never wrong: per configuration, the steps whose every product hash
  (vmlinux_sha256, bzimage_sha256, git_sha256, ...) equals plain's, the
  verify mismatches (make's output, `stable stats`) and, for the kernel,
  whether vmlinux embeds its .config and bzImage its vmlinux;
- every row with the other columns (x no-op, CPU, objtool runs, objects and
  archives written, foreign CPU).

and draws grouped bars (one group per scenario, one bar per configuration,
wall seconds on a log axis, hatched when the product was relinked, red edge
when a product differs from plain's or a mismatch was reported) into
NAME.png beside the CSV. That needs matplotlib: Debian's python3-matplotlib
(apt-get install -y python3-matplotlib) for /usr/bin/python3, or pip install
matplotlib; without it, or with --no-png, the tables alone are printed.
When a configuration appears twice for a scenario, the last row wins.
Exits 1 when a product differs from plain's or a mismatch was reported.
"""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results")
# Known configurations in a fixed order (and colour); others follow.
ORDER = ["plain", "ccache", "stablecc", "stablecc-ccache", "stablecc-verify", "stablecc-keep", "stablecc-bare"]
LABELS = {
    "plain": "gcc",
    "ccache": "ccache gcc",
    "stablecc": "stablecc gcc, AR=stable-ar (default: settled)",
    "stablecc-ccache": "stablecc ccache gcc, AR=stable-ar",
    "stablecc-verify": "stablecc gcc, AR=stable-ar, STABLE_VERIFY=1",
    "stablecc-keep": "stablecc gcc, AR=stable-ar, STABLE_SETTLE=0",
    "stablecc-bare": "stablecc gcc, AR=stable-ar, objtool unwrapped",
}


def num(v, default=0.0):
    try:
        return float(v)
    except (TypeError, ValueError):
        return default


class Results:
    def __init__(self, path):
        self.path = path
        self.scenarios, self.configs, self.rows = [], [], {}
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            self.columns = reader.fieldnames or []
            for r in reader:
                c, s = r["config"], r["scenario"]
                if s not in self.scenarios:
                    self.scenarios.append(s)
                if c not in self.configs:
                    self.configs.append(c)
                self.rows[(c, s)] = r
        self.configs.sort(key=lambda c: (ORDER.index(c) if c in ORDER else len(ORDER), c))
        self.hashes = [k for k in self.columns if k == "sha256" or k.endswith("_sha256")]

    def get(self, c, s):
        return self.rows.get((c, s))

    def differs(self, c, s):
        """The hash columns whose value differs from plain's for scenario s."""
        r, p = self.get(c, s), self.get("plain", s)
        if r is None or p is None or c == "plain":
            return []
        return [h for h in self.hashes if r.get(h) and p.get(h) and r[h] != p[h]]

    def mismatches(self, r):
        m = int(num(r.get("verify_mismatches"), 0))
        s = r.get("stats_mismatches", "-")
        return max(m, int(num(s, 0)))

    def wrong(self, c, s):
        r = self.get(c, s)
        if r is None:
            return []
        bad = [h.replace("_sha256", "") + " differs" for h in self.differs(c, s)]
        if self.mismatches(r):
            bad.append(f"{self.mismatches(r)} verify mismatches")
        if r.get("embedded_ok", "yes") not in ("yes", ""):
            bad.append("embedded " + r["embedded_ok"])
        return bad


def pivot(res):
    print("| scenario | " + " | ".join(res.configs) + " |")
    print("|---" * (len(res.configs) + 1) + "|")
    for s in res.scenarios:
        cells = []
        for c in res.configs:
            r = res.get(c, s)
            if r is None:
                cells.append("")
                continue
            cell = f"{num(r['seconds']):.1f} s, {r.get('compiles', '?')} cc"
            if r.get("relinked") == "yes" and s != "clean":
                cell += ", relink"
            bad = res.wrong(c, s)
            if bad:
                cell += " **" + ", ".join(bad) + "**"
            cells.append(cell)
        print(f"| {s} | " + " | ".join(cells) + " |")


def verdict(res):
    """Never wrong: per configuration, hashes equal to plain's, mismatches."""
    print()
    hs = [h.replace("_sha256", "") for h in res.hashes]
    emb = "embedded_ok" in res.columns
    print("| config | steps | " + " | ".join(f"{h} = plain" for h in hs) +
          " | verify mismatches (make output / stable stats) |" + (" embedded ok |" if emb else ""))
    print("|---" * (3 + len(hs) + (1 if emb else 0)) + "|")
    bad_any = False
    for c in res.configs:
        rows = [(s, res.get(c, s)) for s in res.scenarios if res.get(c, s) is not None]
        eq = []
        for h in res.hashes:
            same = [s for s, r in rows if res.get("plain", s) is not None and
                    r.get(h) == res.get("plain", s).get(h)]
            ref = [s for s, _ in rows if res.get("plain", s) is not None]
            ok = len(same) == len(ref)
            bad_any |= not ok
            eq.append(f"{len(same)}/{len(ref)}" + ("" if ok else " **NO**"))
        m = sum(int(num(r.get("verify_mismatches"), 0)) for _, r in rows)
        st = [r.get("stats_mismatches", "-") for _, r in rows]
        st_sum = "-" if all(v in ("-", "") for v in st) else str(sum(int(num(v, 0)) for v in st))
        bad_any |= m > 0 or st_sum not in ("-", "0")
        mm = f"{m} / {st_sum}" + (" **MISMATCH**" if m > 0 or st_sum not in ("-", "0") else "")
        line = f"| {c} | {len(rows)} | " + " | ".join(eq) + f" | {mm} |"
        if emb:
            nok = [s for s, r in rows if r.get("embedded_ok") != "yes"]
            bad_any |= bool(nok)
            line += (" yes |" if not nok else " **NO: " + ", ".join(nok) + "** |")
        print(line)
    # plain's hashes: the reference, and whether plain reproduced itself.
    if "plain" in res.configs and res.hashes:
        print()
        for h in res.hashes:
            groups = {}  # hash -> scenarios, in the order of first appearance
            for s in res.scenarios:
                r = res.get("plain", s)
                if r is not None and r.get(h):
                    groups.setdefault(r[h][:16], []).append(s)
            print(f"plain's {h}: " + "; ".join(f"{k} ({', '.join(v)})" for k, v in groups.items()) + "  ")
    return bad_any


def details(res):
    print()
    cols = [("seconds", "seconds"), ("x no-op", None), ("cpu_seconds", "CPU s"), ("compiles", "compiles"),
            ("objtool_runs", "objtool runs"), ("objs_written", "objects written"),
            ("archives_written", "archives written"), ("relinked", "relinked"),
            ("verify_mismatches", "mismatches"), ("foreign_cpu", "foreign CPU s")]
    cols = [(k, t) for k, t in cols if k == "x no-op" or k in res.columns]
    print("| config | scenario | " + " | ".join(t or k for k, t in cols) + " |")
    print("|---|---|" + "--:|" * len(cols))
    for c in res.configs:
        noop = res.get(c, "noop")
        for s in res.scenarios:
            r = res.get(c, s)
            if r is None:
                continue
            cells = []
            for k, _ in cols:
                if k == "x no-op":
                    n = num(noop["seconds"]) if noop else 0
                    cells.append(f"{num(r['seconds']) / n:.1f}" if n > 0 else "-")
                else:
                    cells.append(r.get(k, ""))
            print(f"| {c} | {s} | " + " | ".join(cells) + " |")


def plot(res, png):
    try:
        import matplotlib
    except ImportError:
        print(f"plot.py: no matplotlib, {os.path.basename(png)} not drawn "
              "(apt-get install -y python3-matplotlib, run with /usr/bin/python3)", file=sys.stderr)
        return
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    configs, scenarios = res.configs, res.scenarios
    fig, ax = plt.subplots(figsize=(max(12, 1.3 * len(scenarios)), 6))
    width = 0.8 / len(configs)
    handles = []
    for i, c in enumerate(configs):
        xs, ys, hatches, labels, edges = [], [], [], [], []
        for j, s in enumerate(scenarios):
            r = res.get(c, s)
            if r is None:
                continue
            secs = num(r["seconds"])
            xs.append(j + (i - (len(configs) - 1) / 2) * width)
            ys.append(max(secs, 0.05))
            hatches.append("//" if r.get("relinked") == "yes" else "")
            wrong = bool(res.wrong(c, s))
            edges.append("red" if wrong else "black")
            compiles = r.get("compiles", "")
            lab = f"{secs:g}s\n{compiles}cc" if compiles != "" else f"{secs:g}s"
            labels.append(lab + ("\n!" if wrong else ""))
        bars = ax.bar(xs, ys, width, color=f"C{i}", edgecolor=edges, linewidth=0.4)
        handles.append(Patch(facecolor=f"C{i}", edgecolor="black", linewidth=0.4, label=LABELS.get(c, c)))
        for b, h, lab, e in zip(bars, hatches, labels, edges):
            b.set_hatch(h)
            if e == "red":
                b.set_linewidth(1.5)
            ax.annotate(lab, (b.get_x() + b.get_width() / 2, b.get_height()),
                        ha="center", va="bottom", fontsize=5, color=e)
    ax.set_xticks(range(len(scenarios)))
    ax.set_xticklabels(scenarios, rotation=25, ha="right", fontsize=8)
    ax.set_yscale("log")
    ax.set_ylabel("wall seconds (log scale)")
    name = os.path.splitext(os.path.basename(res.path))[0]
    ax.set_title(f"{name}: one make per scenario, -j2 on 2 cores (label: seconds, compiles that ran; "
                 "hatched: product relinked; red '!': product differs from plain's or verify mismatch)",
                 fontsize=8)
    handles.append(Patch(facecolor="white", edgecolor="black", hatch="//", label="relinked"))
    ax.legend(handles=handles, fontsize=7, loc="upper right")
    ax.margins(y=0.15)
    fig.tight_layout()
    fig.savefig(png, dpi=110)
    print(png, file=sys.stderr)


def main(argv):
    draw = "--no-png" not in argv
    args = [a for a in argv if a != "--no-png"]
    if any(a.startswith("-") for a in args):
        sys.exit(__doc__)
    paths = []
    for a in args or [n for n in ("kernel", "git") if os.path.exists(os.path.join(RESULTS, n + ".csv"))]:
        paths.append(a if a.endswith(".csv") else os.path.join(RESULTS, a + ".csv"))
    bad = False
    for p in paths:
        res = Results(p)
        print(f"\n### {os.path.relpath(p)}\n")
        if not res.configs:
            print("(no rows)")
            continue
        pivot(res)
        bad |= verdict(res)
        details(res)
        if draw:
            plot(res, os.path.splitext(p)[0] + ".png")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
