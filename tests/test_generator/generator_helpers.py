"""Small test videos and a simple motion segmenter for the dataset-generator tests."""
import os
import os.path as osp
import subprocess
import sys
from typing import List, Optional, Tuple

import cv2
import numpy as np

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
HERE = osp.dirname(osp.abspath(__file__))
GEN_TOOL = osp.join(REPO_ROOT, 'tools', 'unlc', 'generate_dataset.py')
# Import path of the test segmenter, for the CLI and for Ray / process-pool workers.
TEST_SEGMENTER = 'generator_helpers.median_segmenter'


def moving_square_frames(n: int = 24, h: int = 96, w: int = 128, seed: int = 0) -> np.ndarray:
    """(n, h, w, 3) uint8 RGB: a bright textured box (about 12% of the frame) crossing a textured
    background, so that each background pixel is covered in at most a third of the frames."""
    rng = np.random.default_rng(seed)
    bg_colour = rng.integers(20, 110, size=3)
    bg = np.clip(bg_colour + rng.integers(-15, 16, size=(h, w, 3)), 0, 255).astype(np.uint8)
    bg = cv2.GaussianBlur(bg, (5, 5), 0)
    rh, rw = max(2, h * 5 // 8), max(2, w * 3 // 16)
    fg = np.clip(rng.integers(170, 250, size=3) + rng.integers(-10, 11, size=(rh, rw, 3)), 0,
                 255).astype(np.uint8)
    y0 = (h - rh) // 2
    x_start, x_end = w // 8, w - w // 8 - rw
    frames = []
    for i in range(n):
        f = bg.copy()
        x = int(round(x_start + (x_end - x_start) * i / max(1, n - 1)))
        f[y0:y0 + rh, x:x + rw] = fg
        frames.append(f)
    return np.stack(frames)


def write_video(path: str, frames: np.ndarray, fps: float = 25.0) -> str:
    """Write RGB (or gray (n, h, w)) frames with OpenCV's mp4v codec."""
    gray = frames.ndim == 3
    h, w = frames.shape[1:3]
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), fps, (w, h), not gray)
    assert writer.isOpened(), path
    for f in frames:
        writer.write(f if gray else cv2.cvtColor(f, cv2.COLOR_RGB2BGR))
    writer.release()
    return path


def make_clip(path: str, n: int = 24, h: int = 96, w: int = 128, seed: int = 0) -> str:
    return write_video(path, moving_square_frames(n, h, w, seed))


def median_segmenter(frames: np.ndarray, cfg=None) -> Tuple[np.ndarray, np.ndarray]:
    """Moving pixels = far from the per-pixel temporal median (exact for a static camera)."""
    frames = np.asarray(frames, dtype=np.float32)
    diff = np.abs(frames - np.median(frames, axis=0)).max(axis=-1)
    soft = np.clip(diff / 64.0, 0.0, 1.0).astype(np.float32)
    return soft, soft > 0.5


def make_video_set(folder: str, count: int = 4, n: int = 24) -> List[str]:
    os.makedirs(folder, exist_ok=True)
    return [make_clip(osp.join(folder, f'clip{i}.mp4'), n=n, seed=i) for i in range(count)]


def tool_env() -> dict:
    """Environment for subprocesses and Ray workers that can import mmmotion and this module."""
    paths = [REPO_ROOT, HERE] + [p for p in os.environ.get('PYTHONPATH', '').split(os.pathsep) if p]
    return dict(os.environ, PYTHONPATH=os.pathsep.join(paths), PYTHONUNBUFFERED='1')


def gen_cmd(*args: str) -> List[str]:
    return [sys.executable, GEN_TOOL, *args]


def run_gen(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    proc = subprocess.run(gen_cmd(*args), env=tool_env(), capture_output=True, text=True,
                          timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError(f'generate_dataset {" ".join(args)} failed ({proc.returncode}):\n'
                             f'{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}')
    return proc


def dataset_files(root: str) -> dict:
    """{relative path: bytes} of every file of a dataset directory (temporary files included)."""
    out = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            p = osp.join(dirpath, name)
            out[osp.relpath(p, root)] = open(p, 'rb').read()
    return out
