#!/usr/bin/env python3
"""Synthetic saved runs for timing `history` and `report --html` at scale.

    scripts/synthetic-runs.py REPORT.json N DIR

Writes N copies of REPORT into DIR as run-0001.json …, one per kernel 6.1.0-1 … 6.1.0-N,
started an hour apart, each benchmark's rounds scaled by a small drift (a seeded random walk of
±0.5 % a run) and a little per-round noise, so every cell has something to compare. The figures
are made up: use them for the tools' speed and layout, never as measurements.
"""
import json, random, sys, os, datetime

def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    source, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(source) as f:
        base = json.load(f)
    os.makedirs(out, exist_ok=True)
    rng = random.Random(14)
    drift = {r["id"]: 1.0 for r in base["results"]}
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    for i in range(1, count + 1):
        run = json.loads(json.dumps(base))
        run["environment"]["kernel"]["release"] = f"6.1.0-{i}-cloud-amd64"
        run["config"]["startedAt"] = (start + datetime.timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        for r in run["results"]:
            drift[r["id"]] *= 1 + rng.uniform(-0.005, 0.005)
            r["samples"] = [x * drift[r["id"]] * (1 + abs(rng.gauss(0, 0.01))) for x in r.get("samples", [])]
        with open(os.path.join(out, f"run-{i:04d}.json"), "w") as f:
            json.dump(run, f, separators=(",", ":"))

main()
