"""Evaluate uNLC masks against DAVIS 2016-layout ground truth: J (IoU) and boundary F.

Usage::

    # masks already written (PRED_DIR/<sequence>/<frame>.png)
    python tools/unlc/eval.py DAVIS_ROOT PRED_DIR [--sequences bear camel]
    # segment the sequences with uNLC first, then evaluate; --vis writes frame | GT | prediction
    python tools/unlc/eval.py DAVIS_ROOT PRED_DIR --run [--config configs/unlc/reference.py] \
        [--max-frames 35] [--vis] [--markdown results.md] [--cfg-options max_side=600]
    # the project's synthetic suite: generate N clips in DAVIS layout, segment, evaluate
    python tools/unlc/eval.py --synthetic 4 [--work-dir work_dirs/unlc_synthetic]
"""
import argparse
import os
import os.path as osp
import sys
import tempfile
import time

import cv2
import numpy as np
from mmengine.config import DictAction
from tqdm import tqdm

from mmmotion.apis.segment import build_unlc, segment_frame_folder
from mmmotion.testing.synthetic import synthetic_suite, write_davis_suite
from mmmotion.utils.video_io import VideoReadError, list_frame_files
from mmmotion.evaluation.davis import davis_sequences, evaluate_davis, read_mask
from mmmotion.visualization.overlay import GT_COLOUR, PRED_COLOUR, overlay_row
from mmmotion.utils.fileio import atomic_write_json, atomic_write_text


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('davis_root', nargs='?', help='DAVIS 2016-layout root')
    parser.add_argument('pred_dir', nargs='?', help='predicted masks: PRED_DIR/<sequence>/*.png')
    parser.add_argument('--sequences', nargs='+', default=None, help='sequences (default: all)')
    parser.add_argument('--resolution', default='480p')
    parser.add_argument('--run', action='store_true', help='segment the sequences with uNLC first')
    parser.add_argument('--config', default=None, help='uNLC config for --run/--synthetic')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        default=None,
        help='override keys of the uNLC config for --run, e.g. max_side=600')
    parser.add_argument(
        '--max-frames',
        type=int,
        default=None,
        help='segment and evaluate only the first N frames of each sequence')
    parser.add_argument(
        '--vis',
        action='store_true',
        help='write PRED_DIR/vis/<sequence>.jpg: frame | ground truth | prediction, 4 frames')
    parser.add_argument('--markdown', default=None, help='also write the table to this file')
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
    parser.add_argument('--fold', nargs='+', default=[], metavar='NAME=SEQ,SEQ',
                        help='also report the mean J and F of these groups of sequences (cross-validation folds)')
    args = parser.parse_args(argv)
    if not args.synthetic and not (args.davis_root and args.pred_dir):
        parser.error('give DAVIS_ROOT and PRED_DIR, or --synthetic N')
    return args


def segment_sequences(davis_root: str,
                      pred_dir: str,
                      sequences,
                      resolution: str,
                      config=None,
                      max_frames=None,
                      options=None) -> dict:
    """Run uNLC (``config`` with ``options`` merged in, see ``build_unlc``) on every sequence (one
    shot each) and write ``pred_dir/<seq>/<stem>.png``.

    Returns ``{sequence: seconds per frame}``, reading and writing included, for the sequences
    that could be read; an unreadable one is named on stderr and skipped."""
    unlc = build_unlc(config, options)
    seconds = {}
    for name in tqdm(sequences, desc='uNLC', unit='sequence'):
        start = time.perf_counter()
        try:
            n_frames = segment_frame_folder(osp.join(davis_root, 'JPEGImages', resolution, name),
                                            osp.join(pred_dir, name), unlc, max_frames)
        except VideoReadError as error:
            tqdm.write(f'error: sequence {name}: {error.reason} ({error.path}); skipped',
                       file=sys.stderr)
            continue
        seconds[name] = (time.perf_counter() - start) / n_frames
    return seconds


def write_panels(davis_root: str, pred_dir: str, sequences, resolution: str,
                 max_frames=None, n_rows: int = 4, width: int = 427) -> list:
    """``pred_dir/vis/<seq>.jpg``: ``n_rows`` evenly spaced frames, each as frame | ground truth
    (green) | prediction (red). Returns the written paths."""
    os.makedirs(osp.join(pred_dir, 'vis'), exist_ok=True)
    paths = []
    for name in sequences:
        image_dir = osp.join(davis_root, 'JPEGImages', resolution, name)
        files = list_frame_files(image_dir)[:max_frames]
        rows = []
        for index in np.unique(np.linspace(0, len(files) - 1, n_rows).round().astype(int)):
            stem = osp.splitext(osp.basename(files[index]))[0]
            frame = cv2.cvtColor(cv2.imread(files[index]), cv2.COLOR_BGR2RGB)
            gt = read_mask(osp.join(davis_root, 'Annotations', resolution, name, stem + '.png'))
            pred = read_mask(osp.join(pred_dir, name, stem + '.png'))
            rows.append(overlay_row(frame, [(gt, GT_COLOUR), (pred, PRED_COLOUR)], width))
        path = osp.join(pred_dir, 'vis', f'{name}.jpg')
        cv2.imwrite(path, cv2.cvtColor(np.vstack(rows), cv2.COLOR_RGB2BGR))
        paths.append(path)
    return paths


COLUMNS = ('J_mean', 'J_recall', 'J_decay', 'F_mean', 'F_recall', 'F_decay')


def format_results(results: dict, seconds: dict = None, markdown: bool = False) -> str:
    """A per-sequence table and the overall line (plain text, or a markdown table); ``seconds``
    adds the seconds per frame of each sequence."""
    header = ['sequence', 'frames'] + [c.replace('_', ' ') for c in COLUMNS]
    if seconds:
        header.append('s/frame')
    rows = []
    items = list(results['sequences'].items()) + [('overall (mean of sequences)', results)]
    for name, r in items:
        n = len(r['J']) if 'J' in r else sum(len(s['J']) for s in results['sequences'].values())
        row = [name, str(n)] + [f'{r[c]:.3f}' for c in COLUMNS]
        if seconds:
            time_per_frame = seconds.get(name, np.mean(list(seconds.values())))
            row.append(f'{time_per_frame:.2f}')
        rows.append(row)
    if markdown:
        lines = ['| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
        lines += ['| ' + ' | '.join(row) + ' |' for row in rows]
    else:
        lines = [f'{header[0]:<28}' + ''.join(f'{h:>10}' for h in header[1:])]
        lines += [f'{row[0]:<28}' + ''.join(f'{v:>10}' for v in row[1:]) for row in rows]
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
    seconds = None
    if args.run:
        seconds = segment_sequences(args.davis_root, args.pred_dir, sequences, args.resolution,
                                    args.config, args.max_frames, args.cfg_options)
        if not seconds:
            print('error: no sequence could be segmented', file=sys.stderr)
            return 1
        sequences = [name for name in sequences if name in seconds]
    results = evaluate_davis(args.davis_root, args.pred_dir, sequences, args.resolution,
                             args.max_frames)
    print(format_results(results, seconds))
    for name, members in (f.split('=', 1) for f in args.fold):
        scored = [results['sequences'][m] for m in members.split(',') if m in results['sequences']]
        if scored:
            print(f'fold {name} ({len(scored)} sequences): J mean {np.mean([r["J_mean"] for r in scored]):.3f}, '
                  f'F mean {np.mean([r["F_mean"] for r in scored]):.3f}')
    if args.markdown:
        atomic_write_text(args.markdown, format_results(results, seconds, markdown=True) + '\n')
    if args.vis:
        paths = write_panels(args.davis_root, args.pred_dir, sequences, args.resolution,
                             args.max_frames)
        print(f'wrote {len(paths)} panels to {osp.join(args.pred_dir, "vis")}')
    if args.json:
        summary = {k: v for k, v in results.items() if k != 'sequences'}
        summary['sequences'] = {
            name: {
                k: (v.tolist() if isinstance(v, np.ndarray) else v)
                for k, v in r.items()
            }
            for name, r in results['sequences'].items()
        }
        atomic_write_json(args.json, summary, indent=1)
    if temp is not None:
        temp.cleanup()
    return 0
