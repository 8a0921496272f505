#!/usr/bin/env python3
"""Markdown table of a `fastintent bench study` results.json with every runtime's time over fastintent's at the same
precision (fastintent-fp32 for *-fp32 rows, fastintent-int8 for *-int8 rows): ratio of medians, and the same ratio
round by round (min–max), as docs/benchmarks.md quotes them. Below 1: that runtime is faster than ours.

Usage: precision_table.py RESULTS_JSON"""
import json
import sys


def precision(runtime):
    if "int8" in runtime:
        return "int8"
    return "fp32" if "fp32" in runtime else None


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    data = json.load(open(sys.argv[1], encoding="utf-8"))
    cells = {}
    for row in data["results"]:
        cells.setdefault((row["model"], row["batch"], row["input"], row["padding"]), []).append(row)
    print("| model | batch | input | runtime | median ms (IQR) | time / fastintent, same precision (per-round range) |"
          " G(FL)OP/s |")
    print("|---|---:|---|---|---:|---:|---:|")
    for (model, batch, text, padding), rows in cells.items():
        ours = {precision(r["runtime"]): r for r in rows if r["runtime"] in ("fastintent-fp32", "fastintent-int8")}
        for r in rows:
            base = ours.get(precision(r["runtime"]))
            ms = r["ms"]
            if base is None:
                ratio = "–"
            else:
                rounds = [a / b for a, b in zip(r["round_medians_ms"], base["round_medians_ms"])]
                ratio = f"{ms['median'] / base['ms']['median']:.2f} ({min(rounds):.2f}–{max(rounds):.2f})"
            name = f"**{r['runtime']}**" if r is base else r["runtime"]
            gflops = f"{r['gflop'] / ms['median'] * 1e3:.1f}" if r.get("gflop") else "–"
            print(f"| {model} | {batch} | {text} | {name} | {ms['median']:.4g} ({ms['q3'] - ms['q1']:.3g}) | {ratio} |"
                  f" {gflops} |")


if __name__ == "__main__":
    main()
