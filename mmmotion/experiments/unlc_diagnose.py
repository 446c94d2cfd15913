"""Stage-by-stage diagnostics of uNLC on sequences with ground truth (DAVIS 2016 layout).

For each sequence it prints what decides whether consensus voting can work: the graph's median
self-loop weight and effective neighbours per region (1 / sum of squared row weights), the frames
with a dominant motion, the initial saliency inside and outside the ground truth, and the votes
inside and outside after each voting round. Healthy: self-loop well below 0.5, most frames
dominant, inside clearly above outside and growing apart over the rounds.

Usage::

    python tools/unlc/diagnose.py ../shared/data/davis16_dev [--config configs/unlc/reference.py]
        [--max-frames 35] [--cfg-options descriptor.hog_block_norm=L2-Hys] [--markdown out.md]
"""
import argparse
import os.path as osp

import cv2
import numpy as np
from mmengine.config import DictAction
from tqdm import tqdm

from mmmotion.apis.segment import build_unlc
from mmmotion.utils.video_io import list_frame_files, read_frames
from mmmotion.evaluation.davis import davis_sequences, read_mask
from mmmotion.utils.fileio import atomic_write_text


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('davis_root', help='DAVIS 2016-layout root')
    parser.add_argument('--config', default=None, help='uNLC config (default: the defaults)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default=None)
    parser.add_argument('--sequences', nargs='+', default=None)
    parser.add_argument('--max-frames', type=int, default=None)
    parser.add_argument('--resolution', default='480p')
    parser.add_argument('--markdown', default=None, help='also write the table to this file')
    return parser.parse_args(argv)


def inside_outside(values: np.ndarray, masks: np.ndarray) -> str:
    return f'{values[masks].mean():.2f} / {values[~masks].mean():.2f}'


def diagnose(unlc, frames: np.ndarray, masks: np.ndarray) -> dict:
    """Run uNLC's stages on one shot and measure them against the ground truth ``masks``."""
    frames = unlc.resize(frames)
    h, w = frames.shape[1:3]
    masks = np.stack([cv2.resize(m.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST)
                      for m in masks]).astype(bool)
    labels, offsets, transition = unlc.region_graph(frames)
    squared = transition.multiply(transition).sum(1)
    saliency = unlc.initial_saliency(frames, labels)
    rounds = []
    unlc.consensus(transition, saliency, labels, offsets,
                   on_round=lambda energy: rounds.append(inside_outside(energy, masks)))
    return dict(
        self_loop=float(np.median(transition.diagonal())),
        neighbours=float(np.median(1.0 / np.asarray(squared).ravel())),
        motion='motion' if unlc.used_motion else 'appearance',
        saliency=inside_outside(saliency, masks),
        rounds=rounds)


def main(argv=None) -> int:
    args = parse_args(argv)
    unlc = build_unlc(args.config, args.cfg_options)
    names = args.sequences or davis_sequences(args.davis_root, args.resolution)
    lines = ['| sequence | self-loop weight (median) | effective neighbours | initial evidence | '
             'saliency in / out GT | votes in / out GT, round 1 → last |',
             '|---|---:|---:|---|---|---|']
    for name in tqdm(names, desc='diagnose', unit='sequence'):
        image_dir = osp.join(args.davis_root, 'JPEGImages', args.resolution, name)
        frames = read_frames(image_dir, max_frames=args.max_frames)
        stems = [osp.splitext(osp.basename(f))[0] for f in list_frame_files(image_dir)]
        masks = np.stack([
            read_mask(osp.join(args.davis_root, 'Annotations', args.resolution, name, s + '.png'))
            for s in stems[:len(frames)]
        ])
        d = diagnose(unlc, frames, masks)
        lines.append(f'| {name} | {d["self_loop"]:.2f} | {d["neighbours"]:.1f} | {d["motion"]} | '
                     f'{d["saliency"]} | {d["rounds"][0]} → {d["rounds"][-1]} |')
    table = '\n'.join(lines)
    print(table)
    if args.markdown:
        atomic_write_text(args.markdown, table + '\n')
    return 0
