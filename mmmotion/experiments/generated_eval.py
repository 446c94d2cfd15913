"""Does the generator's frame selection keep the good masks? Real video with ground truth says.

Runs the pseudo-ground-truth generator (shots, uNLC, quality scores, frame rules) on every sequence
of a DAVIS 2016-layout root (masks: J) or a VOT-layout root (one tracked target's box per frame:
share of the mask inside the box, box IoU, hit = at least ``--min-inside`` of the mask inside the box
and box IoU >= ``--min-box-iou``), one video at a time, and scores every segmented frame. It reports,
per video and pooled, frames segmented and kept and the scores of all segmented frames and of the
kept ones, per ``--fold`` too when given; with ``--curve`` the precision–yield curve of the quality threshold (``min_quality``
swept over the recorded scores, the config's other rules unchanged), per ``--fold`` when given.

Usage::

    python tools/unlc/eval_generated.py ../shared/data/davis16_dev --out work_dirs/gen_dev \\
        [--config configs/unlc/generate_dataset.py] [--cfg-options generator.max_shot_len=30] \\
        [--markdown table.md] [--frames-json frames.json] \\
        [--curve docs/figures/selection_curve.png] [--fold A=blackswan,dog B=cows,libby]
    python tools/unlc/eval_generated.py ../shared/data/vot_dev --layout vot --out work_dirs/gen_vot
"""
import argparse
import os.path as osp
import sys
from typing import Dict, List

import cv2
import numpy as np
from tqdm import tqdm

from mmmotion.apis.segment import segment_video
from mmmotion.utils.video_io import list_frame_files
from mmmotion.evaluation.boxes import GROUNDTRUTH_FILE, mask_box_scores, read_vot_boxes, vot_sequences
from mmmotion.evaluation.davis import annotation_stems, davis_sequences, read_mask, region_similarity
from mmmotion.evaluation.frame_selection import precision_yield, reselect, shot_rows
from mmmotion.pseudo_gt import list_videos
from mmmotion.pseudo_gt.frame_selection import FrameSelectionConfig
from mmmotion.pseudo_gt.generate import GENERATOR_KEYS, generate_dataset, load_config
from mmmotion.pseudo_gt.process import GeneratorConfig, load_record
from mmmotion.utils.config import add_cfg_options
from mmmotion.utils.fileio import atomic_write_json, atomic_write_text


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
    parser.add_argument('root', help='DAVIS 2016-layout root, or VOT-layout root with --layout vot')
    parser.add_argument('--out', required=True, help='where the generated datasets go, one folder a sequence')
    parser.add_argument('--layout', choices=('davis', 'vot'), default='davis')
    parser.add_argument('--config', default=None, help='generation config (default: '
                        'the generator defaults with the default uNLC)')
    add_cfg_options(parser, 'override keys of the generation config, e.g. generator.frame_selection.min_quality=0.4')
    parser.add_argument('--sequences', nargs='+', default=None)
    parser.add_argument('--resolution', default='480p', help='DAVIS resolution folder')
    parser.add_argument('--min-inside', type=float, default=0.5, help='VOT hit: share of the mask in the box')
    parser.add_argument('--min-box-iou', type=float, default=0.3, help='VOT hit: IoU of the boxes')
    parser.add_argument('--markdown', default=None, help='also write the table to this file')
    parser.add_argument('--frames-json', default=None, help='write every segmented frame\'s scores here')
    parser.add_argument('--curve', default=None, help='write the precision-yield figure here (PNG)')
    parser.add_argument('--fold', nargs='+', default=[], metavar='NAME=SEQ,SEQ',
                        help='also report (and draw) the curve of these groups of sequences')
    return parser.parse_args(argv)


def sequences_of(args) -> Dict[str, str]:
    """``{name: frame folder}`` of the sequences to run."""
    if args.layout == 'vot':
        found = vot_sequences(args.root)
    else:
        found = {name: osp.join(args.root, 'JPEGImages', args.resolution, name)
                 for name in davis_sequences(args.root, args.resolution)}
    if args.sequences:
        missing = sorted(set(args.sequences) - set(found))
        if missing:
            raise SystemExit(f'error: no sequence {missing} in {args.root}')
        found = {name: found[name] for name in args.sequences}
    if args.layout == 'vot':  # fail before any segmentation on a bad box file
        for name, frame_dir in found.items():
            read_vot_boxes(osp.join(args.root, name, GROUNDTRUTH_FILE), len(list_frame_files(frame_dir)))
    return found


def score_rows(args, name: str, record: dict, rows: List[dict]) -> None:
    """Add the ground-truth scores to the rows of one video (``J``, or ``inside``/``box_iou``/``hit``)."""
    if args.layout == 'davis':
        gt_dir = osp.join(args.root, 'Annotations', args.resolution, name)
        stems = annotation_stems(gt_dir)
        for row in rows:
            gt = read_mask(osp.join(gt_dir, stems[row['frame']] + '.png'))
            gt = cv2.resize(gt.astype(np.uint8), row['mask'].shape[::-1],
                            interpolation=cv2.INTER_NEAREST).astype(bool)
            row['J'] = region_similarity(row['mask'], gt)
        return
    boxes = read_vot_boxes(osp.join(args.root, name, GROUNDTRUTH_FILE), record['num_frames'])
    scale = record['proc_width'] / record['width']
    for row in rows:
        row.update(mask_box_scores(row['mask'], boxes[row['frame']] * scale, args.min_inside,
                                   args.min_box_iou))


def _mean(rows: List[dict], key: str) -> str:
    values = np.array([r[key] for r in rows], np.float64)
    values = values[np.isfinite(values)]
    return f'{values.mean():.3f}' if len(values) else '-'


def format_table(groups: List[tuple], layout: str) -> str:
    """Markdown: one line per (name, rows) group."""
    keys = ('J', ) if layout == 'davis' else ('hit', 'inside', 'box_iou')
    head = ' | '.join(f'{k} all | {k} kept' for k in keys)
    lines = [f'| video | segmented | kept | kept / segmented | {head} |', '|---|' + '---:|' * (3 + 2 * len(keys))]
    for name, rows in groups:
        kept = [r for r in rows if r['kept']]
        cells = ' | '.join(f'{_mean(rows, k)} | {_mean(kept, k)}' for k in keys)
        lines.append(f'| {name} | {len(rows)} | {len(kept)} | {len(kept) / max(len(rows), 1):.3f} | {cells} |')
    return '\n'.join(lines)


def draw_curves(path: str, curves: Dict[str, List[dict]], chosen: float, ylabel: str, title: str) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    from mmmotion.visualization.transfer_plots import save_figure
    fig, ax = plt.subplots(figsize=(6, 4.2))
    for name, curve in curves.items():
        share = [p['share'] for p in curve]
        value = [p['value'] for p in curve]
        line, = ax.plot(share, value, marker='.', label=name)
        at = min(curve, key=lambda p: abs(p['min_quality'] - chosen))
        ax.plot(at['share'], at['value'], 'o', ms=9, mfc='none', color=line.get_color())
    ax.set_xlabel('share of segmented frames kept')
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    save_figure(fig, path, title)


def main(argv=None) -> int:
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    unlc_cfg = {k: v for k, v in cfg.items() if k not in GENERATOR_KEYS} or None
    fs_cfg = FrameSelectionConfig(**GeneratorConfig.from_dict(dict(cfg.get('generator', {}))).frame_selection)
    try:
        sequences = sequences_of(args)
    except (FileNotFoundError, ValueError) as error:
        print(f'error: {error}', file=sys.stderr)
        return 1
    per_video = []
    for name, frame_dir in tqdm(sequences.items(), desc='generator', unit='video'):
        recorder = RecordingSegmenter(unlc_cfg)
        out = osp.join(args.out, name)  # one dataset a sequence: VOT's frame folders are all called color/
        generate_dataset([frame_dir], out, cfg=cfg, segmenter=recorder, merge=False)
        record = load_record(out, list_videos([frame_dir])[0].video_id)
        if not recorder.calls and record.get('shots'):
            raise SystemExit(f'error: {out} already holds {name}; give an empty --out to score it')
        rows = shot_rows(record, recorder.calls)
        score_rows(args, name, record, rows)
        for row in rows:
            row['video'] = name
        per_video.append((name, rows))
    pooled = [r for _, rows in per_video for r in rows]
    folds = {n: [r for r in pooled if r['video'] in s.split(',')] for n, s in (f.split('=', 1) for f in args.fold)}
    groups = per_video + [(f'fold {n} (pooled frames)', rows) for n, rows in folds.items()]
    groups.append(('all videos (pooled frames)', pooled))
    if fs_cfg != FrameSelectionConfig():  # what the paper's rules keep of the same masks, for comparison
        paper = reselect(pooled, FrameSelectionConfig())
        groups.append(('paper\'s rules on the same masks (pooled)', [dict(r, kept=k) for r, k in zip(pooled, paper)]))
    table = format_table(groups, args.layout)
    print(table)
    if args.markdown:
        atomic_write_text(args.markdown, table + '\n')
    if args.frames_json:
        atomic_write_json(args.frames_json, [{k: v for k, v in r.items() if k != 'mask'} for r in pooled], indent=0)
    if args.curve:
        key = 'J' if args.layout == 'davis' else 'hit'
        scores = np.array([r['q_score'] for r in pooled])
        thresholds = np.round(np.quantile(scores, np.linspace(0, 0.95, 39)), 4)
        if fs_cfg.min_quality is not None:  # the config's own operating point is on the curve
            thresholds = np.append(thresholds, fs_cfg.min_quality)
        thresholds = np.unique(thresholds)
        groups = {'all': pooled, **folds}
        curves = {}
        for group, rows in groups.items():
            curves[group] = precision_yield(rows, [r[key] for r in rows], fs_cfg, thresholds)
            print(f'\nprecision-yield, {group} ({len(rows)} frames): min_quality -> kept share, {key} of kept')
            for p in curves[group]:
                print(f'  {p["min_quality"]:.4f}  {p["share"]:.3f}  {p["value"]:.3f}')
        chosen = fs_cfg.min_quality if fs_cfg.min_quality is not None else float('nan')
        draw_curves(args.curve, curves, chosen, f'{key} of kept frames',
                    f'{key} of kept frames vs yield, min_quality swept (circle: the config\'s {chosen:g})')
        print(f'wrote {args.curve}')
    if not any(r['kept'] for r in pooled):
        print('warning: the generator kept no frame', file=sys.stderr)
        return 1
    return 0
