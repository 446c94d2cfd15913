"""Keeping generated sections of a markdown file (e.g. docs/benchmarks.md) up to date."""
import os.path as osp
import re

from .fileio import atomic_write_text


def replace_section(path: str, heading: str, text: str) -> None:
    """Replace the section that starts with the line ``heading`` (e.g. ``'## MotionMask'``) up to the next
    ``## `` heading with ``text``, or append ``text`` when there is none; other sections stay as they are.
    The file is rewritten atomically."""
    old = open(path).read() if osp.isfile(path) else '# Benchmarks\n'
    pattern = re.compile(rf'^{re.escape(heading)}\n.*?(?=^## |\Z)', re.S | re.M)
    new = pattern.sub(lambda _: text, old) if pattern.search(old) else old.rstrip('\n') + '\n\n' + text
    atomic_write_text(path, new)
