"""Keeping generated sections of a markdown file (e.g. docs/benchmarks.md) up to date."""
import os.path as osp
import re

from .fileio import atomic_write_text


def check_heading(heading: str, what: str = 'heading') -> str:
    """``heading`` if it is one line starting with ``## `` (what :func:`replace_section` can find again),
    else a ValueError naming ``what`` (e.g. a command-line option)."""
    if not heading.startswith('## ') or '\n' in heading:
        raise ValueError(f'{what} {heading!r}: expected one line starting with "## "')
    return heading


def replace_section(path: str, heading: str, text: str) -> None:
    """Replace the section that starts with the line ``heading`` (e.g. ``'## MotionMask'``) up to the next
    ``## `` heading with ``text``, or append ``text`` when there is none; other sections stay as they are.
    The file is rewritten atomically."""
    check_heading(heading)
    old = open(path).read() if osp.isfile(path) else '# Benchmarks\n'
    pattern = re.compile(rf'^{re.escape(heading)}\n.*?(?=^## |\Z)', re.S | re.M)
    new = pattern.sub(lambda _: text, old) if pattern.search(old) else old.rstrip('\n') + '\n\n' + text
    atomic_write_text(path, new)
