"""Do the generator's frame rules keep the better masks? Real video with ground truth says.

Runs the pseudo-ground-truth generator (shots, uNLC, frame rules) on the sequences of a DAVIS
2016-layout root, one video at a time, and scores every segmented frame's mask against the ground
truth. It reports, per video and pooled: frames segmented and kept, J of all segmented frames and
J of the kept ones. The frame rules do their job when the kept frames score higher.

Usage::

    python tools/unlc/eval_generated.py ../shared/data/davis16_dev --out work_dirs/gen_dev \\
        [--config configs/unlc/generate_dataset.py] [--markdown table.md]
"""
import argparse
import os.path as osp
import sys
from typing import List

import cv2
import numpy as np
from tqdm import tqdm

from mmmotion.pseudo_gt.generate import GENERATOR_KEYS, generate_dataset, load_config
from mmmotion.apis.segment import segment_video
from mmmotion.pseudo_gt import list_videos
from mmmotion.pseudo_gt.process import load_record
from mmmotion.evaluation.davis import (annotation_stems, davis_sequences, read_mask,
                                       region_similarity)
from mmmotion.utils.fileio import atomic_write_text


class RecordingSegmenter:
    """uNLC that keeps the binary masks of every shot it segments, in call order."""

    def __init__(self, cfg: dict):
        self.cfg = cfg
        self.calls: List[np.ndarray] = []

    def __call__(self, frames: np.ndarray):
        soft, binary = segment_video(frames, self.cfg)
        self.calls.append(binary)
        return soft, binary


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('davis_root', help='DAVIS 2016-layout root')
    parser.add_argument('--out', required=True, help='the generated dataset directory')
    parser.add_argument('--config', default=None, help='generation config (default: '
                        'the generator defaults with the default uNLC)')
    parser.add_argument('--sequences', nargs='+', default=None)
    parser.add_argument('--resolution', default='480p')
    parser.add_argument('--markdown', default=None, help='also write the table to this file')
    return parser.parse_args(argv)


def score_video(record: dict, masks: List[np.ndarray], gt_dir: str) -> dict:
    """J of every segmented frame of a video's record, given the masks of its segmented shots in
    order. Returns ``dict(all=[J...], kept=[J...])``."""
    stems = annotation_stems(gt_dir)
    scores = dict(all=[], kept=[])
    shots = [s for s in record['shots'] if s.get('frames')]
    if len(shots) != len(masks):
        raise RuntimeError(f'{record["video_id"]}: {len(shots)} segmented shots in the record, '
                           f'{len(masks)} segmenter calls')
    for shot, binary in zip(shots, masks):
        for frame, mask in zip(shot['frames'], binary):
            gt = read_mask(osp.join(gt_dir, stems[frame['frame']] + '.png'))
            gt = cv2.resize(gt.astype(np.uint8), mask.shape[::-1],
                            interpolation=cv2.INTER_NEAREST).astype(bool)
            j = region_similarity(mask, gt)
            scores['all'].append(j)
            if frame['kept'] and shot['status'] == 'ok':
                scores['kept'].append(j)
    return scores


def format_table(rows: list) -> str:
    lines = ['| video | segmented | kept | kept / segmented | J all segmented | J kept |',
             '|---|---:|---:|---:|---:|---:|']
    for name, s in rows:
        n_all, n_kept = len(s['all']), len(s['kept'])
        j_kept = f'{np.mean(s["kept"]):.3f}' if n_kept else '-'
        j_all = f'{np.mean(s["all"]):.3f}' if n_all else '-'
        lines.append(f'| {name} | {n_all} | {n_kept} | {n_kept / max(n_all, 1):.2f} | {j_all} '
                     f'| {j_kept} |')
    return '\n'.join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    cfg = load_config(args.config)
    unlc_cfg = {k: v for k, v in cfg.items() if k not in GENERATOR_KEYS} or None
    names = args.sequences or davis_sequences(args.davis_root, args.resolution)
    rows, pooled = [], dict(all=[], kept=[])
    for name in tqdm(names, desc='generator', unit='video'):
        image_dir = osp.join(args.davis_root, 'JPEGImages', args.resolution, name)
        recorder = RecordingSegmenter(unlc_cfg)
        generate_dataset([image_dir], args.out, cfg=cfg, segmenter=recorder, merge=False)
        entry = list_videos([image_dir])[0]
        record = load_record(args.out, entry.video_id)
        scores = score_video(record, recorder.calls,
                             osp.join(args.davis_root, 'Annotations', args.resolution, name))
        rows.append((name, scores))
        for k in pooled:
            pooled[k] += scores[k]
    rows.append(('all videos (pooled frames)', pooled))
    table = format_table(rows)
    print(table)
    if args.markdown:
        atomic_write_text(args.markdown, table + '\n')
    if not pooled['kept']:
        print('warning: the generator kept no frame', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
