#!/usr/bin/env python3
"""Plots resident memory over time from bench/live-soak.sh's samples.tsv as an SVG (no libraries).

    bench/plot-soak.py OUT.svg SAMPLES.tsv[:PREFIX] ...

Each file's tools (its first column) become one line each, named PREFIX + tool, so that runs of
one session from several files (the build before a change, after it, LAUREL) share one plot.
"""
import sys

W, H, L, R, T, B = 720, 360, 60, 150, 20, 40
COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]


def main():
    out, inputs = sys.argv[1], sys.argv[2:]
    series = {}
    for arg in inputs:
        path, _, prefix = arg.partition(":")
        with open(path) as f:
            for line in f.readlines()[1:]:
                cols = line.rstrip("\n").split("\t")
                if len(cols) >= 3:
                    series.setdefault(prefix + cols[0], []).append((float(cols[1]), int(cols[2]) / 1024))
    xmax = max(x for s in series.values() for x, _ in s)
    ymax = max(y for s in series.values() for _, y in s)
    ymax = (int(ymax / 20) + 1) * 20
    sx = lambda x: L + (W - L - R) * x / xmax
    sy = lambda y: H - B - (H - T - B) * y / ymax
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>']
    for y in range(0, ymax + 1, 20):
        svg.append(f'<line x1="{L}" y1="{sy(y):.1f}" x2="{W - R}" y2="{sy(y):.1f}" stroke="#ddd"/>')
        svg.append(f'<text x="{L - 6}" y="{sy(y) + 4:.1f}" text-anchor="end">{y}</text>')
    for x in range(0, int(xmax) + 1, 60):
        svg.append(f'<text x="{sx(x):.1f}" y="{H - B + 16}" text-anchor="middle">{x}</text>')
    svg.append(f'<text x="{(L + W - R) / 2}" y="{H - 6}" text-anchor="middle">seconds</text>')
    svg.append(f'<text x="14" y="{(T + H - B) / 2}" transform="rotate(-90 14 {(T + H - B) / 2})" '
               f'text-anchor="middle">RSS (MiB)</text>')
    for i, (name, points) in enumerate(series.items()):
        colour = COLOURS[i % len(COLOURS)]
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in points)
        svg.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>')
        svg.append(f'<text x="{W - R + 8}" y="{T + 16 + 18 * i}" fill="{colour}">{name}</text>')
    svg.append("</svg>")
    with open(out, "w") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main()
