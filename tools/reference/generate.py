#!/usr/bin/python3
"""Writes the PyTorch golden fixtures to compiler/src/test/resources/fixtures/.

Run with Debian's Python (it has python3-torch):  /usr/bin/python3 tools/reference/generate.py
The output directory is deleted and rewritten; the result is byte-identical on every run.
See tools/reference/README.md and fixtures.md.
"""

import argparse
import os
import shutil
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from striate_ref import cases_models, cases_ops, fixture  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_OUT = os.path.join(REPO, "compiler", "src", "test", "resources", "fixtures")


def all_cases():
    cases = cases_ops.cases() + cases_models.cases() + cases_ops.pad_cases()
    names = [c.name for c in cases]
    if len(set(names)) != len(names):
        raise SystemExit("duplicate case names")
    return cases


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="fixture directory (deleted and rewritten)")
    parser.add_argument("--list", action="store_true", help="print the case names and exit")
    args = parser.parse_args(argv)

    torch.set_num_threads(1)   # one summation order, so the bytes do not depend on the machine's cores
    torch.use_deterministic_algorithms(True)
    cases = all_cases()
    if args.list:
        print("\n".join(c.name for c in cases))
        return 0
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    for case in cases:
        size = fixture.write(case, args.out)
        print(f"{case.name:36s} {size:9d} weight bytes")
    with open(os.path.join(args.out, "cases.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(c.name + "\n" for c in cases))
    print(f"{len(cases)} fixtures in {os.path.relpath(args.out, REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
