"""Segment the moving foreground of a video (file or folder of frames) with uNLC.

Writes ``OUT_DIR/<frame stem>.png`` (uint8, 255 = foreground) for every input frame (stems
``00000``, ``00001``, ... for a video file) and, with ``--vis``, overlays in ``OUT_DIR/vis/`` and
an overlay video ``OUT_DIR/overlay.mp4``. Long inputs are segmented in chunks of ``--chunk``
consecutive frames, each treated as one shot.

Example::

    python tools/unlc/segment_video.py bikes.mp4 --out work_dirs/bikes --vis --max-frames 60
    python tools/unlc/segment_video.py bikes.mp4 --out work_dirs/bikes --cfg-options max_side=480 voting.restart=0.0
"""
import argparse
import os
import os.path as osp
import sys
import time

import cv2
import numpy as np
from tqdm import tqdm

from mmmotion.apis.segment import build_unlc
from mmmotion.utils.video_io import (VideoReadError, is_frame_dir, list_frame_files, read_frames,
                                     video_fps)
from mmmotion.utils.config import add_cfg_options
from mmmotion.visualization.overlay import overlay_mask


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('input', help='video file or directory of frames (sorted by name)')
    parser.add_argument('--out', required=True, help='output directory')
    parser.add_argument(
        '--config',
        default=None,
        help='uNLC config (default: configs/unlc/default.py; configs/unlc/reference.py is the '
        'reference)')
    add_cfg_options(parser, 'override keys of the uNLC config\'s unlc dict, e.g. max_side=480 motion.flow.type=DISFlow')
    parser.add_argument('--vis', action='store_true', help='also write overlays and overlay.mp4')
    parser.add_argument('--max-frames', type=int, default=None, help='use only the first N frames (from --start-frame)')
    parser.add_argument('--start-frame', type=int, default=0, help='skip the frames before this one (0-based)')
    parser.add_argument(
        '--chunk',
        type=int,
        default=110,
        help='frames segmented together as one shot (default 110, as the reference)')
    parser.add_argument(
        '--fps',
        type=float,
        default=None,
        help='frame rate of overlay.mp4 (default: the input\'s, or 10)')
    return parser.parse_args(argv)


def frame_stems(path: str, n_frames: int) -> list:
    """Output names: the image names of a frame folder, zero-padded indices for a video file."""
    if is_frame_dir(path):
        return [osp.splitext(osp.basename(f))[0] for f in list_frame_files(path)][:n_frames]
    return [f'{i:05d}' for i in range(n_frames)]


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        stop = None if args.max_frames is None else args.start_frame + args.max_frames
        frames = read_frames(args.input, max_frames=stop)[args.start_frame:]
        if not len(frames):
            raise VideoReadError(args.input, f'no frame at or after --start-frame {args.start_frame}')
    except VideoReadError as error:
        print(f'error: cannot read input {error.path}: {error.reason}', file=sys.stderr)
        return 2
    unlc = build_unlc(args.config, args.cfg_options)
    stems = frame_stems(args.input, args.start_frame + len(frames))[args.start_frame:]
    os.makedirs(args.out, exist_ok=True)
    chunk = max(1, args.chunk)
    soft = np.empty(frames.shape[:3], np.float32)
    binary = np.empty(frames.shape[:3], bool)
    start_time = time.perf_counter()
    for start in tqdm(range(0, len(frames), chunk), desc='uNLC', unit='chunk'):
        soft[start:start + chunk], binary[start:start + chunk] = unlc(frames[start:start + chunk])
    seconds = time.perf_counter() - start_time
    print(f'segmented {len(frames)} frames of {frames.shape[2]}x{frames.shape[1]} in '
          f'{seconds:.1f} s ({seconds / len(frames):.3f} s/frame)')

    writer = None
    if args.vis:
        os.makedirs(osp.join(args.out, 'vis'), exist_ok=True)
        fps = args.fps or (0.0 if is_frame_dir(args.input) else video_fps(args.input)) or 10.0
        writer = cv2.VideoWriter(
            osp.join(args.out, 'overlay.mp4'), cv2.VideoWriter_fourcc(*'mp4v'), fps,
            (frames.shape[2], frames.shape[1]))
    for frame, mask, stem in tqdm(
            zip(frames, binary, stems), total=len(frames), desc='writing', unit='frame'):
        cv2.imwrite(osp.join(args.out, f'{stem}.png'), mask.astype(np.uint8) * 255)
        if writer is not None:
            vis = cv2.cvtColor(overlay_mask(frame, mask), cv2.COLOR_RGB2BGR)
            cv2.imwrite(osp.join(args.out, 'vis', f'{stem}.jpg'), vis)
            writer.write(vis)
    if writer is not None:
        writer.release()
    print(f'wrote {len(frames)} masks to {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
