#!/usr/bin/env python3
"""Runs every fenced command of README.md and docs/*.md, so the docs cannot go stale.

A fence says what it holds by its info string:
  sh       every line is a command (a line ending in a backslash goes on), `#` lines are comments
  console  a line starting with `$ ` is a command, every other line what it printed (not compared:
           figures differ from run to run)
  text, json, yaml, promql, …  shown, never run
A fence with no info string is refused: a reader cannot tell a command from its output.

A command ending in `# exit N` must exit N; any other must exit 0. Each page's commands run in
order in a scratch folder of their own (so a page may build on its earlier commands), where
`scripts`, `results`, `contrib` and `docs` lead to the package's; `syscost` is the one in
$SYSCOST_BIN_DIR. Each command has --timeout seconds. The one command not run here is the
README's test command, which would run this again: CI runs it (`.ci/run`), and this checks that
`.ci/run` runs exactly that.

  python3 scripts/doctest.py [--list] [--only PAGE] [--timeout S] [--root DIR]
(--root: another tree's README.md and docs/, for the test that a broken page fails.)
Exit 0 when every command did what its page says, 1 otherwise, 2 on a malformed page.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
RUN = {"sh", "console"}
SHOWN = {"text", "json", "yaml", "promql", "swift", "c", "diff", "csv", "html", "markdown"}
EXIT = re.compile(r"#\s*exit (\d+)\s*$")


def pages():
    found = [os.path.join(ROOT, "README.md")]
    docs = os.path.join(ROOT, "docs")
    if os.path.isdir(docs):
        found += sorted(os.path.join(docs, f) for f in os.listdir(docs) if f.endswith(".md"))
    return found


def commands(path):
    """[(line, command, expected exit)] of one page; raises ValueError on a malformed fence."""
    out, fence, start, pending = [], None, 0, ""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for number, line in enumerate(lines, 1):
        if line.startswith("```"):
            if fence is None:
                fence, start = line[3:].strip(), number
                if fence == "":
                    raise ValueError(f"{path}:{number}: a fence with no info string (sh, console, text, …)")
                if fence not in RUN | SHOWN:
                    raise ValueError(f"{path}:{number}: unknown fence '{fence}'")
            else:
                if pending:
                    raise ValueError(f"{path}:{number}: a command ends in a backslash at the fence's end")
                fence = None
            continue
        if fence not in RUN:
            continue
        text = None
        if fence == "sh":
            stripped = line.strip()
            if pending or (stripped and not stripped.startswith("#")):
                text = line
        elif line.startswith("$ ") or pending:
            text = line[2:] if not pending else line
        if text is None:
            continue
        if text.rstrip().endswith("\\"):
            pending += text.rstrip()[:-1] + " "
            continue
        command = (pending + text).strip()
        pending = ""
        match = EXIT.search(command)
        out.append((number, command, int(match.group(1)) if match else 0))
    if fence is not None:
        raise ValueError(f"{path}:{start}: a fence that is never closed")
    return out


def scratch():
    folder = tempfile.mkdtemp(prefix="syscost-doctest-")
    for name in ("scripts", "results", "contrib", "docs"):
        if os.path.exists(os.path.join(ROOT, name)):
            os.symlink(os.path.join(ROOT, name), os.path.join(folder, name))
    return folder


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--list", action="store_true", help="print the commands as JSON, run nothing")
    parser.add_argument("--only", action="append", default=[], help="a page's file name (README.md, compare.md)")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--root", help="the tree whose README.md and docs/ to run (default: this package)")
    args = parser.parse_args()
    global ROOT
    if args.root:
        ROOT = os.path.realpath(args.root)
    try:
        selected = [(p, commands(p)) for p in pages() if not args.only or os.path.basename(p) in args.only]
    except ValueError as error:
        print(f"doctest: {error}", file=sys.stderr)
        return 2
    if args.list:
        print(json.dumps([{"page": os.path.relpath(p, ROOT), "line": n, "command": c, "exit": e}
                          for p, cs in selected for n, c, e in cs], indent=1))
        return 0
    bin_dir = os.environ.get("SYSCOST_BIN_DIR")
    if not bin_dir or not os.access(os.path.join(bin_dir, "syscost"), os.X_OK):
        print("doctest: set SYSCOST_BIN_DIR to the folder of a built syscost", file=sys.stderr)
        return 2
    try:
        with open(os.path.join(ROOT, ".ci", "run"), encoding="utf-8") as f:
            ci = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    except FileNotFoundError:
        ci = []
    ci_command = ci[-1][len("exec "):] if ci and ci[-1].startswith("exec ") else None
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
    failures, ran = [], 0
    for page, cs in selected:
        folder = scratch()
        env["TMPDIR"] = folder
        try:
            for number, command, expected in cs:
                bare = command.split("#")[0].strip()
                if bare == "bash scripts/test.sh":
                    ran += 1
                    if ci_command != bare:
                        failures.append(f"{os.path.relpath(page, ROOT)}:{number}: the test command is not what .ci/run runs ({ci_command})")
                    continue
                started = time.monotonic()
                where = f"{os.path.relpath(page, ROOT)}:{number}"
                try:
                    done = subprocess.run(["bash", "-c", command], cwd=folder, env=env, capture_output=True,
                                          text=True, errors="replace", timeout=args.timeout)
                    status, output = done.returncode, (done.stdout + done.stderr)
                except subprocess.TimeoutExpired:
                    status, output = None, f"did not end within {args.timeout:g} s"
                ran += 1
                took = time.monotonic() - started
                verdict = "ok" if status == expected else "FAILED"
                print(f"doctest: {verdict} {where} ({took:.1f} s, exit {status}): {command}", file=sys.stderr, flush=True)
                if status != expected:
                    tail = "\n".join(output.strip().split("\n")[-15:])
                    failures.append(f"{where}: `{command}` exited {status}, the page says {expected}\n{tail}")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"doctest: {ran} command(s) from {len(selected)} page(s), {len(failures)} failed", file=sys.stderr)
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
