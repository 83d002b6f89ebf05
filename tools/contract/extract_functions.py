#!/usr/bin/env python3
"""Extracts (function, kind) from the function tables of the contract's spec files.

Usage: tools/contract/extract_functions.py ../shared/spec/api > Tests/EngramFunctionsTests/Fixtures/contract-functions.tsv

The test suite compares the registered catalogue with this file, so CI does not need
the spec directory. Regenerate it whenever the contract changes.
"""
import pathlib
import re
import sys

ROW = re.compile(r"^\|\s*`?([A-Za-z0-9]+):([A-Za-z0-9]+)`?\s*\|\s*(query|mutation|action)\s*\|")


def main(spec_dir: str) -> None:
    seen = {}
    for path in sorted(pathlib.Path(spec_dir).glob("*.md")):
        module = path.stem
        for line in path.read_text().splitlines():
            m = ROW.match(line)
            if m and m.group(1) == module:
                seen[f"{m.group(1)}:{m.group(2)}"] = m.group(3)
    for name in sorted(seen):
        print(f"{name}\t{seen[name]}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/spec/api")
