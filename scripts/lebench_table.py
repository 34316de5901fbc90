#!/usr/bin/env python3
"""LEBench beside syscost, test by test: LEBench's kbest and average (from OS_Eval's CSV, two
runs: before and after syscost's), syscost's undisturbed cost (p10 of its rounds, with its 95%
interval) of the ids `syscost list --lebench` maps the test to, and the ratio syscost / LEBench
kbest, raw and with LEBench's timer overhead (its 'ref' test: two clock reads) taken off.
Usage: lebench_table.py MAP.json LEBENCH-BEFORE.csv SYSCOST-REPORT.json LEBENCH-AFTER.csv"""
import json
import sys


def lebench(path):
    """{test name: (kbest ns, average ns)}, a two-line test's child rows as '<name> child'."""
    rows = {}
    for line in open(path, encoding="utf-8", errors="replace"):
        if ":," not in line:
            continue
        label, value = line.split(":,", 1)
        label = " ".join(label.split())
        try:
            ns = float(value.strip().rstrip(",")) * 1e9
        except ValueError:
            continue
        child = " Child " in f" {label} "
        label = label.replace(" Child", "")
        for kind in ("kbest", "average"):
            if label.endswith(" " + kind):
                name = label[: -len(kind) - 1] + (" child" if child else "")
                kbest, average = rows.get(name, (None, None))
                rows[name] = (ns, average) if kind == "kbest" else (kbest, ns)
    return rows


def main():
    mapping = json.load(open(sys.argv[1]))
    before, after = lebench(sys.argv[2]), lebench(sys.argv[4])
    results = {r["id"]: r for r in json.load(open(sys.argv[3]))["results"]}
    timer = min(x for x in (before.get("ref", (None,))[0], after.get("ref", (None,))[0]) if x is not None)
    print(f"LEBench's timer overhead (ref, kbest): {timer:.1f} ns, taken off its single-call figures in 'ratio corrected'")
    head = ("LEBench test", "kbest before", "kbest after", "average", "syscost id", "syscost p10 (95% CI)", "ratio", "ratio corrected")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for test in mapping:
        name = test["test"]
        kb, avg = before.get(name, (None, None))
        ka = after.get(name, (None, None))[0]
        best = min(x for x in (kb, ka) if x is not None) if (kb or ka) else None
        for id in test["ids"] or ["-"]:
            r = results.get(id)
            s = r and r.get("summary") or {}
            p10 = s.get("p10")
            fig = "-"
            if p10 is not None:
                p10 *= test["scale"]
                lo, hi = s.get("p10CI95Low"), s.get("p10CI95High")
                fig = f"{p10:.1f}" + (f" ({lo * test['scale']:.1f}…{hi * test['scale']:.1f})" if lo is not None else "")
            ratio = f"{p10 / best:.2f}" if p10 and best else "-"
            corrected = f"{p10 / (best - timer):.2f}" if p10 and best and best > 2 * timer else "-"
            cells = (name, f"{kb:.1f}" if kb else "-", f"{ka:.1f}" if ka else "-", f"{avg:.1f}" if avg else "-", id, fig, ratio, corrected)
            print("| " + " | ".join(cells) + " |")


main()
