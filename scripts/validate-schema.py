#!/usr/bin/env python3
"""Validates JSON files against a JSON Schema (draft 2020-12): validate-schema.py SCHEMA FILE...

Prints one line per file, `ok FILE` or `invalid FILE: <path>: <message>` (every error), and
exits 1 when any file is invalid, 2 when the schema itself is not one."""
import json
import sys

import jsonschema


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        schema = json.load(f)
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as e:
        print(f"the schema is not one: {e.message}", file=sys.stderr)
        return 2
    validator = jsonschema.Draft202012Validator(schema)
    bad = 0
    for path in sys.argv[2:]:
        with open(path) as f:
            document = json.load(f)
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        if errors:
            bad += 1
            for e in errors[:20]:
                where = "/".join(str(p) for p in e.absolute_path) or "(top)"
                print(f"invalid {path}: {where}: {e.message[:300]}")
        else:
            print(f"ok {path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
