"""Put a benchmark's Markdown fragment into README.md between ``<!-- NAME:begin/end -->`` markers.

Usage: ``.venv/bin/python benchmarks/readme_block.py NAME FRAGMENT.md``.

Why a separate step: some figures are measured on another machine than the one holding the
checkout (the 16-core scaling runs), so the benchmark writes its fragment there (``--markdown``)
and this script carries it into the README here, unchanged: the README's figures are still
written by the script that measured them, never typed in.
"""

from __future__ import annotations

import argparse
import datetime
import platform
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def provenance(command: str, where: str, how: str) -> str:
    """The first line of a fragment: when, where and by which command it was measured."""
    return (f"Measured {datetime.date.today().isoformat()} on {where}, Python "
            f"{platform.python_version()}, by `{command}` ({how}).")


def replace_block(text: str, name: str, fragment: str) -> str:
    """``text`` with the lines between ``<!-- name:begin -->`` and ``<!-- name:end -->`` replaced.

    >>> replace_block("a\\n<!-- x:begin -->\\nold\\n<!-- x:end -->\\nb", "x", "new")
    'a\\n<!-- x:begin -->\\nnew\\n<!-- x:end -->\\nb'
    """
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    if begin not in text or end not in text:
        raise SystemExit(f"README.md has no {begin} ... {end} markers")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{fragment.strip()}\n{end}{tail}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("name")
    parser.add_argument("fragment", type=Path)
    args = parser.parse_args()
    readme = ROOT / "README.md"
    readme.write_text(replace_block(readme.read_text(), args.name, args.fragment.read_text()))
    print(f"README.md block {args.name!r} rewritten from {args.fragment}")


if __name__ == "__main__":
    main()
