"""Evaluate uNLC masks against DAVIS 2016-layout ground truth: J (IoU) and boundary F.

Usage::

    # masks already written (PRED_DIR/<sequence>/<frame>.png)
    python tools/unlc/eval.py DAVIS_ROOT PRED_DIR [--sequences bear camel]
    # segment the sequences with uNLC first, then evaluate
    python tools/unlc/eval.py DAVIS_ROOT PRED_DIR --run [--config configs/unlc/fast.py]
    # the project's synthetic suite: generate N clips in DAVIS layout, segment, evaluate
    python tools/unlc/eval.py --synthetic 4 [--work-dir work_dirs/unlc_synthetic]
"""
import argparse
import json
import os
import os.path as osp
import sys
import tempfile

import cv2
import numpy as np
from tqdm import tqdm

from mmmotion.apis.segment import build_unlc
from mmmotion.datasets.synthetic import synthetic_suite, write_davis_suite
from mmmotion.datasets.video_io import list_frame_files, read_frames
from mmmotion.evaluation.davis import davis_sequences, evaluate_davis


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('davis_root', nargs='?', help='DAVIS 2016-layout root')
    parser.add_argument('pred_dir', nargs='?', help='predicted masks: PRED_DIR/<sequence>/*.png')
    parser.add_argument('--sequences', nargs='+', default=None, help='sequences (default: all)')
    parser.add_argument('--resolution', default='480p')
    parser.add_argument('--run', action='store_true', help='segment the sequences with uNLC first')
    parser.add_argument('--config', default=None, help='uNLC config for --run/--synthetic')
    parser.add_argument(
        '--synthetic',
        type=int,
        default=0,
        metavar='N',
        help='generate N synthetic clips, segment and evaluate them')
    parser.add_argument('--seed', type=int, default=0, help='seed of the synthetic suite')
    parser.add_argument('--frames', type=int, default=30, help='frames per synthetic clip')
    parser.add_argument(
        '--work-dir',
        default=None,
        help='where --synthetic writes clips and masks (default: a temp dir)')
    parser.add_argument('--json', default=None, help='also write the results to this JSON file')
    args = parser.parse_args(argv)
    if not args.synthetic and not (args.davis_root and args.pred_dir):
        parser.error('give DAVIS_ROOT and PRED_DIR, or --synthetic N')
    return args


def segment_sequences(davis_root: str,
                      pred_dir: str,
                      sequences,
                      resolution: str,
                      config=None) -> None:
    """Run uNLC on every sequence (one shot each) and write ``pred_dir/<seq>/<stem>.png``."""
    unlc = build_unlc(config)
    for name in tqdm(sequences, desc='uNLC', unit='sequence'):
        image_dir = osp.join(davis_root, 'JPEGImages', resolution, name)
        _, binary = unlc(read_frames(image_dir))
        out_dir = osp.join(pred_dir, name)
        os.makedirs(out_dir, exist_ok=True)
        for file, mask in zip(list_frame_files(image_dir), binary):
            stem = osp.splitext(osp.basename(file))[0]
            cv2.imwrite(osp.join(out_dir, stem + '.png'), mask.astype(np.uint8) * 255)


def format_results(results: dict) -> str:
    """A per-sequence table and the overall line."""
    lines = [f'{"sequence":<28} {"J mean":>7} {"J recall":>8} {"F mean":>7} {"F recall":>8}']
    rows = list(results['sequences'].items()) + [('overall (mean of sequences)', results)]
    for name, r in rows:
        lines.append(f'{name:<28} {r["J_mean"]:7.3f} {r["J_recall"]:8.3f} {r["F_mean"]:7.3f} '
                     f'{r["F_recall"]:8.3f}')
    return '\n'.join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    temp = None
    if args.synthetic:
        if args.work_dir is None:
            temp = tempfile.TemporaryDirectory(prefix='unlc_synthetic_')
        work_dir = args.work_dir or temp.name
        args.davis_root = args.davis_root or osp.join(work_dir, 'davis')
        args.pred_dir = args.pred_dir or osp.join(work_dir, 'pred')
        clips = synthetic_suite(args.synthetic, n_frames=args.frames, seed=args.seed)
        args.sequences = write_davis_suite(args.davis_root, clips, args.resolution)
        args.run = True
    sequences = args.sequences or davis_sequences(args.davis_root, args.resolution)
    if args.run:
        segment_sequences(args.davis_root, args.pred_dir, sequences, args.resolution, args.config)
    results = evaluate_davis(args.davis_root, args.pred_dir, sequences, args.resolution)
    print(format_results(results))
    if args.json:
        summary = {k: v for k, v in results.items() if k != 'sequences'}
        summary['sequences'] = {
            name: {
                k: (v.tolist() if isinstance(v, np.ndarray) else v)
                for k, v in r.items()
            }
            for name, r in results['sequences'].items()
        }
        with open(args.json, 'w') as f:
            json.dump(summary, f, indent=1)
    if temp is not None:
        temp.cleanup()
    return 0


if __name__ == '__main__':
    sys.exit(main())
