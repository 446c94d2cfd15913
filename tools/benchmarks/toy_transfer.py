"""The transfer claim in miniature: MotionMask-pretrained AlexNet vs random init on generated data.

    python tools/benchmarks/toy_transfer.py            # everything, resumable; ~1 h on 2 CPU cores

1. a toy VOC (textured shapes on real photos; boxes, class PNGs, labels) with selective-search proposals;
2. MotionMask pretraining on uNLC masks of synthetic videos (tiny BN AlexNet config), unless
   ``--checkpoint motionmask=PATH`` gives one;
3. for each task and frozen setting of ``--plan`` (default det: All and >c5, seg and voc07: >c5), every
   checkpoint (``random`` = random init) and seed, a ``tools/train.py`` run of the toy benchmark config;
4. every run as a row of ``--csv`` (task,checkpoint,frozen,seed,metric,value; rows of other runs kept),
   the summary table on stdout and, with ``--doc``, in the "## Toy transfer" section of docs/benchmarks.md.
"""
import argparse
import os
import os.path as osp
import platform
import sys
import time
from collections import defaultdict

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

from mmmotion.apis.toy_transfer import (TOY_SPLITS, pretrain_toy_motionmask, prepare_toy_voc,  # noqa: E402
                                        run_toy_transfer)
from mmmotion.evaluation.transfer_results import summary_tables, write_csv  # noqa: E402
from mmmotion.utils.markdown import replace_section  # noqa: E402

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
    parser.add_argument('--csv', default='docs/results/toy_transfer.csv')
    parser.add_argument('--doc', help='markdown file whose "## Toy transfer" section gets the summary')
    return parser.parse_args()


def parse_plan(items):
    plan = []
    for item in items:
        task, _, settings = item.partition(':')
        if not settings:
            raise SystemExit(f'--plan item {item!r}: expected TASK:FROZEN[,FROZEN...]')
        plan.append((task, settings.split(',')))
    return plan


def verdicts(rows) -> list:
    """Per task / metric / frozen setting: motionmask vs random means and per-seed wins."""
    values = defaultdict(dict)
    for row in rows:
        values[(row['task'], row['metric'], row['frozen'], row['checkpoint'])][str(row['seed'])] = float(row['value'])
    lines = []
    for (task, metric, frozen, label), ours in sorted(values.items()):
        base = values.get((task, metric, frozen, 'random'))
        if label == 'random' or not base:
            continue
        seeds = sorted(set(ours) & set(base))
        wins = sum(ours[s] > base[s] for s in seeds)
        mean_ours = sum(ours[s] for s in seeds) / len(seeds)
        mean_base = sum(base[s] for s in seeds) / len(seeds)
        holds = 'holds' if mean_ours > mean_base and wins == len(seeds) else (
            'holds on average' if mean_ours > mean_base else 'does NOT hold')
        setting = 'All' if frozen == 'all' else (frozen if frozen == 'fc6-8' else '>' + frozen)
        lines.append(f'- {task} {metric}, {setting}: {label} '
                     f'{mean_ours:.1f} vs random {mean_base:.1f} ({mean_ours - mean_base:+.1f}); '
                     f'{label} higher in {wins} of {len(seeds)} seeds: **{holds}**')
    return lines


def main() -> None:
    args = parse_args()
    plan = parse_plan(args.plan)
    start = time.time()
    checkpoints = {'random': None}
    for item in args.checkpoint:
        label, _, path = item.partition('=')
        if not path or not osp.isfile(path):
            raise SystemExit(f'--checkpoint {item!r}: expected LABEL=PATH of an existing file')
        checkpoints[label] = path
    data_root = prepare_toy_voc(args.out_dir)
    pretrain_seconds = None
    if not args.no_pretrain and 'motionmask' not in checkpoints:
        checkpoints['motionmask'] = pretrain_toy_motionmask(args.out_dir, iters=args.pretrain_iters)
        timing = osp.join(osp.dirname(checkpoints['motionmask']), 'wall_time_s.txt')
        pretrain_seconds = float(open(timing).read()) if osp.isfile(timing) else None
    if args.no_random:
        checkpoints.pop('random')
    rows = []
    for task, settings in plan:
        rows += run_toy_transfer(args.out_dir, data_root, checkpoints, tasks=[task], frozen=settings,
                                 seeds=args.seeds)
    write_csv(rows, args.csv, replace_checkpoints=True)
    tables = summary_tables(rows)
    verdict = verdicts(rows)
    print(tables)
    print('\n'.join(verdict))
    print(f'wrote {len(rows)} rows to {args.csv}')
    if args.doc:
        run_times = []
        for root, _, files in os.walk(osp.join(args.out_dir, 'runs')):
            if 'wall_time_s.txt' in files:
                run_times.append(float(open(osp.join(root, 'wall_time_s.txt')).read()))
        import torch

        from mmmotion.evaluation.transfer_results import last_validation
        mask_keys = ('mask/true/mIoU', 'mask/true/centred_box_mIoU', 'mask/true/all_fg_mIoU')
        pretrained = last_validation(osp.join(args.out_dir, 'motionmask', 'work'), mask_keys)
        pretrain_quality = (f' Its held-out mask IoU against the true masks: {pretrained[mask_keys[0]]:.2f} '
                            f'(centred box {pretrained[mask_keys[1]]:.2f}, all foreground '
                            f'{pretrained[mask_keys[2]]:.2f}).' if len(pretrained) == 3 else '')
        machine = f'{platform.machine()}, {os.cpu_count()} CPU cores, torch {torch.__version__}, CPU only'
        text = (f'{SECTION}\n\n'
                f'MotionMask-pretrained AlexNet (BN) vs random init on the generated toy VOC '
                f'({TOY_SPLITS["train"] + TOY_SPLITS["val"]} trainval / {TOY_SPLITS["test"]} test images, '
                f'3 classes, selective-search proposals), seeds {", ".join(map(str, args.seeds))} '
                f'(the fine-tuning seed; one pretraining). Pretraining: uNLC masks of 24 synthetic clips, '
                f'{args.pretrain_iters} iterations of the tiny MotionMask config.{pretrain_quality} '
                f'Every run is a row of '
                f'`{args.csv}`.\n\n'
                f'Command: `python tools/benchmarks/toy_transfer.py {" ".join(sys.argv[1:])}` on {machine} '
                f'(other jobs shared the cores). Fine-tuning runs: {len(run_times)}, '
                f'{sum(run_times) / max(len(run_times), 1) / 60:.1f} min each on average, '
                f'{sum(run_times) / 60:.0f} min in all'
                + (f'; pretraining {pretrain_seconds / 60:.0f} min' if pretrain_seconds else '') + '.\n\n'
                + tables + '\n' + '\n'.join(verdict) + '\n\n')
        replace_section(args.doc, SECTION, text)
        print(f'wrote the {SECTION[3:]} section of {args.doc} ({(time.time() - start) / 60:.0f} min)')


if __name__ == '__main__':
    main()
