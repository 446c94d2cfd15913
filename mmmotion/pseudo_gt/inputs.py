"""Which videos a generation run covers: a list file or a folder, stable ids and shards."""
import hashlib
import os
import os.path as osp
import re
from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence, Union

from mmmotion.utils.fileio import VIDEO_EXTENSIONS, is_frame_dir

_UNSAFE = re.compile(r'[^A-Za-z0-9._-]+')


@dataclass(frozen=True)
class VideoEntry:
    """One input video: its dataset id, the path to read and the name it is listed under."""

    video_id: str
    path: str
    source: str


def _make_id(source: str) -> str:
    name = osp.basename(osp.normpath(source))
    stem = name if osp.isdir(source) else osp.splitext(name)[0]
    return _UNSAFE.sub('_', stem).strip('._') or 'video'


def assign_ids(sources: Sequence[str]) -> List[str]:
    """Filesystem-safe, unique ids from listed names (file name without extension, as YFCC's
    hashes); names that collide get a short hash of the full listed path appended, so an id never
    depends on the order or on the other videos of a shard."""
    ids = [_make_id(s) for s in sources]
    counts = {}
    for i in ids:
        counts[i] = counts.get(i, 0) + 1
    return [
        i if counts[i] == 1 else f'{i}_{hashlib.sha1(s.encode()).hexdigest()[:8]}'
        for i, s in zip(ids, sources)
    ]


def list_videos(inputs: Union[str, os.PathLike, Iterable[str]]) -> List[VideoEntry]:
    """The videos of a run, in a stable order.

    ``inputs`` is one of:
      * a text file with one path per line (blank lines and ``#`` comments skipped; relative paths
        are resolved against the file's folder, as in YFCC-style lists);
      * a directory: its video files (by extension) and its sub-folders of frame images, sorted by
        name (a directory that itself holds images is one frame-folder video);
      * a sequence of paths.
    Duplicated paths are listed once.
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = str(inputs)
        if osp.isdir(inputs):
            if is_frame_dir(inputs):
                sources, root = [osp.basename(osp.normpath(inputs))
                                 ], osp.dirname(osp.normpath(inputs))
            else:
                root = inputs
                sources = sorted(
                    n for n in os.listdir(inputs)
                    if (osp.isfile(osp.join(inputs, n)) and n.lower().endswith(VIDEO_EXTENSIONS))
                    or is_frame_dir(osp.join(inputs, n)))
        elif osp.isfile(inputs):
            root = osp.dirname(osp.abspath(inputs))
            with open(inputs, encoding='utf-8') as f:
                sources = [ln.strip() for ln in f]
            sources = [s for s in sources if s and not s.startswith('#')]
        else:
            raise FileNotFoundError(f'video list or directory not found: {inputs}')
    else:
        root, sources = os.getcwd(), [str(s) for s in inputs]
    seen, unique = set(), []
    for s in sources:
        if s not in seen:
            seen.add(s)
            unique.append(s)
    ids = assign_ids(unique)
    return [
        VideoEntry(vid, s if osp.isabs(s) else osp.normpath(osp.join(root, s)), s)
        for vid, s in zip(ids, unique)
    ]


def shard(entries: Sequence[VideoEntry],
          num_shards: int = 1,
          shard_id: int = 0) -> List[VideoEntry]:
    """The videos of shard ``shard_id``: those at positions ``i`` with ``i % num_shards == shard_id``."""
    if num_shards < 1 or not 0 <= shard_id < num_shards:
        raise ValueError(f'bad shard {shard_id} of {num_shards}')
    return [e for i, e in enumerate(entries) if i % num_shards == shard_id]


def estimated_work(entry: VideoEntry, max_side: Optional[int] = None) -> float:
    """A stand-in for the work a video takes: its frames times its pixels at ``max_side`` (the container's
    frame count, or the images of a frame folder and the size of the first; 0 for what cannot be read). One
    open of the file, not a decode: milliseconds against the seconds a video takes."""
    from mmmotion.utils.video_io import VideoReadError, video_info
    try:
        info = video_info(entry.path)
    except (VideoReadError, OSError, ValueError):
        return 0.0
    side = max(info.height, info.width)
    scale = min(1.0, max_side / side) if max_side and side else 1.0
    return float(info.num_frames) * info.height * info.width * scale * scale


def most_work_first(entries: Sequence[VideoEntry], max_side: Optional[int] = None) -> List[VideoEntry]:
    """``entries`` by :func:`estimated_work`, the most first (ties in list order): with several workers, the
    longest videos start first instead of ending a run with one worker busy and the others idle. The order
    videos run in never changes the dataset (it is merged from the records in id order)."""
    work = [estimated_work(e, max_side) for e in entries]
    return [entries[i] for i in sorted(range(len(entries)), key=lambda i: -work[i])]
