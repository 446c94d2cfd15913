"""A small-scale transfer experiment: MotionMask-pretrained AlexNet vs random init on generated data.

    python tools/benchmarks/toy_transfer.py            # everything, resumable; ~1 h on 2 CPU cores

1. a toy VOC (textured shapes on real photos; boxes, class PNGs, labels) with selective-search proposals;
2. MotionMask pretraining on uNLC masks of synthetic videos (tiny BN AlexNet config), unless
   ``--checkpoint motionmask=PATH`` gives one;
3. for each task and frozen setting of ``--plan`` (default det: All and >c5, seg and voc07: >c5), every
   checkpoint (``random`` = random init) and seed, a ``tools/train.py`` run of the toy benchmark config;
4. every run as a row of ``--csv`` (rows of other runs kept), the summary tables on stdout and, with
   ``--doc``, in the "## Toy transfer" section of docs/benchmarks.md. The section's text is made from the
   runs' own records (pretraining settings or the external checkpoint, seeds, iterations, wall times,
   machine load at start and end, commits), not from this script's arguments.
"""
import argparse
import os.path as osp
import shlex
import sys
import time
from collections import defaultdict

from mmmotion.experiments.toy_transfer import (TOY_CONFIG_DIRS, TOY_SPLITS, pretrain_toy_motionmask, prepare_toy_voc,
                                               run_toy_transfer)
from mmmotion.engine.runs import file_sha256, machine_load, now
from mmmotion.experiments.report import count_lines, doc_footer, describe_runs, summary_tables, write_csv
from mmmotion.utils.markdown import replace_section
from .options import parse_checkpoints, parse_plan

SECTION = '## Toy transfer'
DEFAULT_PLAN = ('det:all,c5', 'seg:c5', 'voc07:c5')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--out-dir', default='work_dirs/toy_transfer', help='data, pretraining and runs')
    parser.add_argument('--plan', nargs='+', default=list(DEFAULT_PLAN),
                        help='TASK:FROZEN[,FROZEN...] items, e.g. det:all,c5 seg:c5 (tasks: det, seg, voc07)')
    parser.add_argument('--seeds', nargs='+', type=int, default=[0, 1, 2])
    parser.add_argument('--checkpoint', nargs='+', default=[], metavar='LABEL=PATH',
                        help='checkpoints to compare with random init (default: motionmask, pretrained here)')
    parser.add_argument('--no-pretrain', action='store_true', help='only the given checkpoints and random init')
    parser.add_argument('--no-random', action='store_true',
                        help='skip the random-init runs (e.g. while another process runs them)')
    parser.add_argument('--pretrain-iters', type=int, default=600)
    parser.add_argument('--pretrain-clips', type=int, default=24, help='synthetic clips segmented for pretraining')
    parser.add_argument('--toy-images', type=int, nargs=3, default=[TOY_SPLITS[k] for k in ('train', 'val', 'test')],
                        metavar=('TRAIN', 'VAL', 'TEST'), help='toy VOC images per split (trainval = train + val)')
    parser.add_argument('--cfg-options', nargs='+', default=[], metavar='KEY=VALUE',
                        help='more --cfg-options for every fine-tuning run (e.g. a shorter schedule)')
    parser.add_argument('--csv', default='docs/results/toy_transfer.csv')
    parser.add_argument('--doc', help='markdown file whose "## Toy transfer" section gets the summary')
    return parser.parse_args()


def verdicts(rows) -> list:
    """Per benchmark / metric / frozen setting: each checkpoint vs random init, means and per-seed wins."""
    values = defaultdict(dict)
    for row in rows:
        values[(row['benchmark'], row['metric'], row['frozen'], row['checkpoint'])][str(row['seed'])] = float(
            row['value'])
    lines = []
    for (benchmark, metric, frozen, label), ours in sorted(values.items()):
        base = values.get((benchmark, metric, frozen, 'random'))
        if label == 'random' or not base:
            continue
        seeds = sorted(set(ours) & set(base))
        wins = sum(ours[s] > base[s] for s in seeds)
        mean_ours = sum(ours[s] for s in seeds) / len(seeds)
        mean_base = sum(base[s] for s in seeds) / len(seeds)
        holds = 'holds' if mean_ours > mean_base and wins == len(seeds) else (
            'holds on average' if mean_ours > mean_base else 'does NOT hold')
        setting = 'All' if frozen == 'all' else (frozen if frozen == 'fc6-8' else '>' + frozen)
        lines.append(f'- {benchmark} {metric}, {setting}: {label} '
                     f'{mean_ours:.1f} vs random {mean_base:.1f} ({mean_ours - mean_base:+.1f}); '
                     f'{label} higher in {wins} of {len(seeds)} seeds: **{holds}**')
    return lines


def describe_pretraining(checkpoints: dict, pretraining) -> str:
    """Where the motionmask checkpoint came from, in the words of its own record."""
    if pretraining is None:
        path = checkpoints.get('motionmask')
        return (f'The motionmask checkpoint is an external file, `{path}` (sha256 {file_sha256(path)[:12]}), '
                f'not pretrained by this run.' if path else 'No MotionMask checkpoint was compared.')
    quality = pretraining.get('mask_metrics') or {}
    iou = (f' Its held-out mask IoU against the true masks: {quality["mask/true/mIoU"]:.2f} (centred box '
           f'{quality.get("mask/true/centred_box_mIoU", float("nan")):.2f}, all foreground '
           f'{quality.get("mask/true/all_fg_mIoU", float("nan")):.2f}).' if 'mask/true/mIoU' in quality else '')
    reused = (f' Reused from an earlier pretraining (started {pretraining["started"]}, commit '
              f'{pretraining["commit"]}).' if pretraining.get('reused') else '')
    return (f'Pretraining: uNLC masks of {pretraining["n_clips"]} synthetic clips of {pretraining["n_frames"]} '
            f'frames ({pretraining.get("num_images")} frames kept), {pretraining["iters"]} iterations of the tiny '
            f'MotionMask config (seed {pretraining["seed"]}), {pretraining["wall_time_s"] / 60:.0f} min, '
            f'1-min load average {pretraining["load_start"]} at start and {pretraining["load_end"]} at end.'
            f'{iou}{reused}')


def main() -> None:
    args = parse_args()
    plan = parse_plan(args.plan, TOY_CONFIG_DIRS)
    start, started, load_start = time.time(), now(), machine_load()
    checkpoints = parse_checkpoints(args.checkpoint)
    data_root = prepare_toy_voc(args.out_dir, splits=dict(zip(('train', 'val', 'test'), args.toy_images)))
    pretraining = None
    if not args.no_pretrain and 'motionmask' not in checkpoints:
        pretraining = pretrain_toy_motionmask(args.out_dir, iters=args.pretrain_iters, n_clips=args.pretrain_clips)
        checkpoints['motionmask'] = pretraining['backbone']
    if args.no_random:
        checkpoints.pop('random')
    rows = []
    for task, settings in plan:
        rows += run_toy_transfer(args.out_dir, data_root, checkpoints, tasks=[task], frozen=settings,
                                 seeds=args.seeds, extra_options=args.cfg_options)
    write_csv(rows, args.csv, replace_checkpoints=True)
    tables = summary_tables(rows)
    verdict = verdicts(rows)
    print(tables)
    print('\n'.join(verdict))
    print(f'wrote {len(rows)} rows to {args.csv}')
    if args.doc:
        image_sets = osp.join(data_root, 'VOC2007', 'ImageSets', 'Main')
        text = (f'{SECTION}\n\n'
                f'MotionMask-pretrained AlexNet (BN) vs random init on the generated toy VOC '
                f'({count_lines(osp.join(image_sets, "trainval.txt"))} trainval / '
                f'{count_lines(osp.join(image_sets, "test.txt"))} test images, 3 classes, selective-search '
                f'proposals). {describe_pretraining(checkpoints, pretraining)} {describe_runs(rows, started)} '
                f'Every run is a row of `{args.csv}`, with its work dir and hashes.\n\n'
                + doc_footer(f'python tools/benchmarks/toy_transfer.py {shlex.join(sys.argv[1:])}', start, load_start)
                + '\n\n'
                + tables + '\n' + '\n'.join(verdict) + '\n\n')
        replace_section(args.doc, SECTION, text)
        print(f'wrote the {SECTION[3:]} section of {args.doc} ({(time.time() - start) / 60:.0f} min)')
