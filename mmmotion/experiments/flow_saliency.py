"""Which optical flow gives uNLC the best motion evidence for its time? For each flow, uNLC's motion saliency
(``motion_saliency`` with the default's motion settings: camera model, frame gaps, flow size) on the first frames of
DAVIS-layout sequences, scored against the ground truth by ROC AUC per frame (how well the saliency ranks object
pixels above background ones; a frame without a dominant motion scores 0.5, no evidence), with the flow's CPU
seconds a frame pair (one thread). The voting and the masks after it are not run: this isolates the flow.

Usage::

    python tools/analysis_tools/flow_saliency.py ../shared/data/davis16_dev --frames 24 \\
        --flows c2f=CoarseToFineFlow dis=DISFlow dis_fine=DISFlow,finest_scale=0 \\
        --fold A=blackswan,car-shadow,dog,kite-surf,parkour B=breakdance,cows,drift-straight,libby,scooter-black
"""
import argparse
import ast
import os.path as osp
import sys
import time
from typing import Dict, List, Sequence

import cv2
import numpy as np

from mmmotion.evaluation.davis import annotation_stems, davis_sequences, read_mask
from mmmotion.registry import OPTICAL_FLOWS
from mmmotion.unlc import UNLC
from mmmotion.unlc.motion_saliency import motion_saliency
from mmmotion.utils.fileio import atomic_write_text
from mmmotion.utils.video_io import read_frames


def roc_auc(score: np.ndarray, positive: np.ndarray) -> float:
    """Area under the ROC curve of ``score`` for the ``positive`` pixels (ties count half); NaN when a class is
    empty. Same shapes, any."""
    from scipy.stats import rankdata
    positive = np.asarray(positive, bool).ravel()
    n_pos = int(positive.sum())
    n_neg = positive.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return float('nan')
    ranks = rankdata(np.asarray(score, np.float64).ravel())
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def parse_flow(spec: str) -> Dict:
    """``TYPE[,key=value...]`` (values as Python literals) -> a flow config dict."""
    kind, *pairs = spec.split(',')
    cfg = dict(type=kind)
    for pair in pairs:
        key, value = pair.split('=', 1)
        cfg[key] = ast.literal_eval(value)
    return cfg


def score_flow(flow_cfg: Dict, sequences: Dict[str, str], gt_dirs: Dict[str, str], n_frames: int) -> Dict:
    """Mean per-frame AUC of the default's motion saliency with ``flow_cfg`` on each sequence, and the flow's
    CPU seconds a frame pair (one thread)."""
    unlc = UNLC(motion=dict(flow=flow_cfg), threads=1)
    flow = unlc.flow
    clock = dict(cpu=0.0, pairs=0)

    def timed(source, target):
        start = time.process_time()
        out = flow(source, target)
        clock['cpu'] += time.process_time() - start
        clock['pairs'] += 1
        return out

    scores = {}
    for name, frame_dir in sequences.items():
        frames = read_frames(frame_dir, max_frames=n_frames)
        small = unlc.flow_frames(unlc.resize(frames))
        saliency, dominant = motion_saliency(small, timed, 1, **unlc.motion_kwargs)
        stems = annotation_stems(gt_dirs[name])[:len(frames)]
        aucs = []
        for i, stem in enumerate(stems):
            gt = read_mask(osp.join(gt_dirs[name], stem + '.png'))
            gt = cv2.resize(gt.astype(np.uint8), small.shape[2:0:-1], interpolation=cv2.INTER_NEAREST) > 0
            value = roc_auc(saliency[i], gt) if dominant[i] else 0.5
            if not np.isnan(value):
                aucs.append(value)
        scores[name] = float(np.mean(aucs))
    return dict(auc=scores, ms_per_pair=1000 * clock['cpu'] / max(1, clock['pairs']))


def to_markdown(results: Dict[str, Dict], flows: Dict[str, Dict], folds: Dict[str, Sequence[str]]) -> str:
    names = list(next(iter(results.values()))['auc'])
    head = ['flow', 'config', 'CPU ms/pair'] + [f'AUC {k}' for k in folds] + ['AUC all'] + names
    lines = ['| ' + ' | '.join(head) + ' |', '|' + '---|' * 2 + '---:|' * (len(head) - 2)]
    for label, r in results.items():
        cells = [label, f"`{flows[label]}`", f"{r['ms_per_pair']:.1f}"]
        cells += [f"{np.mean([r['auc'][s] for s in seqs]):.3f}" for seqs in folds.values()]
        cells += [f"{np.mean(list(r['auc'].values())):.3f}"] + [f"{r['auc'][s]:.3f}" for s in names]
        lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines) + '\n'


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('davis_root')
    parser.add_argument('--flows', nargs='+', required=True, metavar='LABEL=TYPE[,key=value...]')
    parser.add_argument('--frames', type=int, default=24, help='first N frames of each sequence')
    parser.add_argument('--sequences', nargs='+', default=None)
    parser.add_argument('--resolution', default='480p')
    parser.add_argument('--fold', nargs='+', default=[], metavar='NAME=SEQ,SEQ')
    parser.add_argument('--markdown', default=None)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    cv2.setNumThreads(1)
    names = args.sequences or davis_sequences(args.davis_root, args.resolution)
    sequences = {n: osp.join(args.davis_root, 'JPEGImages', args.resolution, n) for n in names}
    gt_dirs = {n: osp.join(args.davis_root, 'Annotations', args.resolution, n) for n in names}
    missing = [p for p in (*sequences.values(), *gt_dirs.values()) if not osp.isdir(p)]
    if missing:
        print(f'error: missing {missing[0]}', file=sys.stderr)
        return 2
    flows = {label: parse_flow(spec) for label, spec in (f.split('=', 1) for f in args.flows)}
    folds = {k: v.split(',') for k, v in (f.split('=', 1) for f in args.fold)}
    results: Dict[str, Dict] = {}
    for label, cfg in flows.items():
        print(f'{label}: {cfg} ...', flush=True)
        results[label] = score_flow(cfg, sequences, gt_dirs, args.frames)
    table = to_markdown(results, flows, folds)
    print(table)
    if args.markdown:
        atomic_write_text(args.markdown, table)
    return 0
