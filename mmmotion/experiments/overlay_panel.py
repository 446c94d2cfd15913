"""Screen-fixed overlays found by uNLC's detector (:func:`mmmotion.unlc.overlays.screen_fixed_mask`), drawn on the
middle frame of each clip: one panel a clip, the clip's name and the overlay's share of the frame above it.

    python tools/analysis_tools/show_overlays.py CLIP [CLIP ...] --out overlays.png [--max-frames 110] [--cols 3]

A clip is a video file or a frame folder (VOT's ``<seq>/color``, DAVIS's ``JPEGImages/480p/<seq>``). The detector
runs on grey frames at the flow's size (the default config's ``motion.size``, aspect kept), as in ``UNLC``.
"""
import argparse
import os.path as osp
from typing import List, Optional, Sequence

import cv2
import numpy as np

from mmmotion.unlc.overlays import screen_fixed_mask
from mmmotion.unlc.pipeline import UNLC
from mmmotion.utils.fileio import atomic_write_bytes
from mmmotion.utils.video_io import read_frames
from mmmotion.visualization.overlay import overlay_mask


def clip_panel(frames: np.ndarray, name: str, width: int = 320) -> np.ndarray:
    """The detector's overlay on the middle frame of (n, h, w, 3) uint8 RGB frames, ``width`` pixels wide, titled."""
    unlc = UNLC()
    overlay = screen_fixed_mask(unlc.flow_frames(frames), **unlc.settings['motion']['overlays'])
    h, w = frames.shape[1:3]
    full = cv2.resize(overlay.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST) > 0
    panel = overlay_mask(frames[len(frames) // 2], full)
    panel = cv2.resize(panel, (width, round(h * width / w)), interpolation=cv2.INTER_AREA)
    title = np.full((22, width, 3), 255, np.uint8)
    cv2.putText(title, f'{name}: {overlay.mean():.1%} overlay', (4, 16), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 0), 1,
                cv2.LINE_AA)
    return np.vstack([title, panel])


def grid(panels: Sequence[np.ndarray], cols: int) -> np.ndarray:
    """Panels of one width in rows of ``cols`` (the last row padded white)."""
    height = max(p.shape[0] for p in panels)
    padded = [np.vstack([p, np.full((height - p.shape[0], p.shape[1], 3), 255, np.uint8)]) for p in panels]
    padded += [np.full_like(padded[0], 255)] * (-len(padded) % cols)
    return np.vstack([np.hstack(padded[i:i + cols]) for i in range(0, len(padded), cols)])


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('clips', nargs='+', help='video files or frame folders')
    parser.add_argument('--out', required=True, help='the PNG to write')
    parser.add_argument('--max-frames', type=int, default=110, help='frames read from each clip (the shot)')
    parser.add_argument('--cols', type=int, default=3)
    args = parser.parse_args(argv)
    panels = []
    for clip in args.clips:
        name = osp.basename(osp.normpath(clip))
        name = osp.basename(osp.dirname(osp.normpath(clip))) if name == 'color' else name
        panels.append(clip_panel(read_frames(clip, max_frames=args.max_frames), name))
        print(f'{clip}: {panels[-1].shape[1]} px panel')
    ok, data = cv2.imencode('.png', cv2.cvtColor(grid(panels, args.cols), cv2.COLOR_RGB2BGR))
    atomic_write_bytes(args.out, data.tobytes())
    print(f'wrote {args.out}')
    return 0
