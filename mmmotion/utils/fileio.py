"""Atomic file writes and deterministic JSON, the one helper every writer of mmmotion uses.

A file is written to a unique temporary name in its final folder, flushed to disk and then
``os.replace``-d onto its name, so a run killed at any moment leaves the complete file or the old
one, never a partial one.
"""
import contextlib
import json
import os
import os.path as osp
import tempfile
from typing import IO, Any, Iterator

TMP_MARK = '.tmp-'


@contextlib.contextmanager
def atomic_writer(path: str, mode: str = 'wb') -> Iterator[IO]:
    """A file to write ``path`` through: a temporary file in the same folder, ``os.replace``-d
    onto ``path`` when the block ends without an exception (and deleted otherwise)."""
    folder = osp.dirname(path) or '.'
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f'.{osp.basename(path)}{TMP_MARK}', dir=folder)
    try:
        with os.fdopen(fd, mode, **({} if 'b' in mode else dict(encoding='utf-8', newline=''))) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.unlink(tmp)
        raise


def atomic_write_bytes(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_writer`)."""
    with atomic_writer(path) as f:
        f.write(data)


def atomic_write_text(path: str, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    atomic_write_bytes(path, text.encode('utf-8'))


def dumps_json(obj: Any, indent: Any = None) -> str:
    """Deterministic JSON text (sorted keys, fixed separators)."""
    seps = (',', ': ') if indent is not None else (',', ':')
    return json.dumps(obj, sort_keys=True, indent=indent, separators=seps, ensure_ascii=False)


def atomic_write_json(path: str, obj: Any, indent: Any = None) -> None:
    """Write ``obj`` as deterministic JSON, atomically."""
    atomic_write_text(path, dumps_json(obj, indent) + '\n')


def read_json(path: str) -> Any:
    with open(path, encoding='utf-8') as f:
        return json.load(f)
