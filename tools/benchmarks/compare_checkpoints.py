"""The paper's comparison: a frozen-layer sweep (All ... >c5) for a list of checkpoints, one table row per
checkpoint and a figure of score against frozen depth, one line per method.

Miniature, on this CPU (generated toy VOC; the pretexts pretrained here on the same frames as MotionMask):

    python tools/benchmarks/compare_checkpoints.py --pretrain motionmask rotationpred relativeloc simclr \
        --plan seg:all,c1,c2,c3,c4,c5 voc07:all,c5 --seeds 0 1 2 --doc docs/benchmarks.md \
        [--checkpoint imagenet=work_dirs/alexnet_torchvision.pth]

Full scale, on the real benchmark configs of one folder (each checkpoint through tools/benchmarks/sweep.sh
with its launcher; then, once the jobs are done, the same command with --collect-only):

    python tools/benchmarks/compare_checkpoints.py --config-dir configs/benchmarks/mmdetection/voc07 \
        --checkpoint random=none motionmask=mm.pth imagenet=alexnet_torchvision.pth --launcher slurm --seeds 0 1 2

Checkpoints are ``mmmotion.AlexNet`` files (tools/model_converters/ makes them from torchvision, Caffe or a
MotionMask / pretext training checkpoint); ``random`` is random init. Each checkpoint's layout (BN or LRN,
CaffeNet or torchvision widths) is read from its weights and set in the configs. Results go through the run
records and the results collector: a CSV with every run's identity, paper-style tables on stdout, a PNG, and
with --doc a section of that markdown file written from the records.
"""
import argparse
import glob
import os
import os.path as osp
import shlex
import subprocess
import sys
import time
from typing import Dict, List, Optional

from mmmotion.evaluation.run_record import file_sha256, machine_load, now
from mmmotion.evaluation.transfer_report import count_lines, describe_runs
from mmmotion.evaluation.transfer_results import MixedResultsError, collect, summary_tables, write_csv
from mmmotion.testing.toy_transfer import (PRETRAINABLE, TOY_SPLITS, INIT_MODULES, layout_options,
                                           prepare_toy_voc, pretrain_toy, run_toy_transfer)
from mmmotion.utils import package_path
from mmmotion.utils.markdown import replace_section
from mmmotion.visualization.transfer_plots import plot_frozen_sweep

SECTION = '## Checkpoint comparison (toy)'
SHOWN_METRICS = ('true/mIoU', 'true/centred_box_mIoU')  # of a pretraining's held-out validation
DEFAULT_PLAN = ('seg:all,c1,c2,c3,c4,c5', 'voc07:all,c5')
# which modules load the checkpoint, by benchmark toolbox (Fast R-CNN's fc6/fc7 sit in its RoI head)
FULL_INIT_MODULES = {'mmdetection': INIT_MODULES['det'], 'mmsegmentation': INIT_MODULES['seg'],
                     'classification': INIT_MODULES['voc07']}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--checkpoint', nargs='+', default=[], metavar='LABEL=PATH',
                        help='checkpoints to compare (PATH "none" = random init; random init is always included)')
    parser.add_argument('--pretrain', nargs='+', default=[], choices=sorted(PRETRAINABLE),
                        help='miniature: pretrain these methods on the same generated frames and compare them')
    parser.add_argument('--pretrain-iters', type=int, default=600, help='miniature: iterations of every pretraining')
    parser.add_argument('--pretrain-clips', type=int, default=24, help='miniature: synthetic clips segmented by uNLC')
    parser.add_argument('--pretrain-inputs', type=int, default=8,
                        help='miniature: backbone inputs per pretraining step, the same for every method '
                             '(samples = inputs / views: RotationPred 4 views, RelativeLoc and SimCLR 2)')
    parser.add_argument('--plan', nargs='+', default=list(DEFAULT_PLAN),
                        help='miniature: TASK:FROZEN[,FROZEN...] items (tasks det, seg, voc07)')
    parser.add_argument('--toy-images', type=int, nargs=3, default=[TOY_SPLITS[k] for k in ('train', 'val', 'test')],
                        metavar=('TRAIN', 'VAL', 'TEST'))
    parser.add_argument('--config-dir', help='full scale: a benchmark config folder (every frozen setting in it)')
    parser.add_argument('--launcher', default='local', choices=['local', 'dist', 'slurm'], help='full scale')
    parser.add_argument('--collect-only', action='store_true', help='full scale: only read finished runs')
    parser.add_argument('--seeds', nargs='+', type=int, default=[0, 1, 2])
    parser.add_argument('--out-dir', default='work_dirs/comparison', help='data, pretrainings and runs')
    parser.add_argument('--cfg-options', nargs='+', default=[], metavar='KEY=VALUE',
                        help='more --cfg-options for every fine-tuning run')
    parser.add_argument('--csv', default='docs/results/comparison.csv')
    parser.add_argument('--figure', default='docs/figures/comparison_frozen_sweep.png')
    parser.add_argument('--doc', help='markdown file that gets the section (miniature only)')
    return parser.parse_args()


def parse_checkpoints(items: List[str]) -> Dict[str, Optional[str]]:
    checkpoints: Dict[str, Optional[str]] = {'random': None}
    for item in items:
        label, _, path = item.partition('=')
        if not label or not path:
            raise SystemExit(f'--checkpoint {item!r}: expected LABEL=PATH')
        if path == 'none':
            checkpoints[label] = None
        elif not osp.isfile(path):
            raise SystemExit(f'--checkpoint {item!r}: no such file {path}')
        else:
            checkpoints[label] = path
    return checkpoints


def describe_pretrainings(records: Dict[str, dict]) -> str:
    """One sentence per method pretrained here, from its pretraining record."""
    if not records:
        return 'No checkpoint was pretrained by this command.'
    parts = []
    for method, record in records.items():
        found = record.get('metrics') or record.get('mask_metrics') or {}  # (older MotionMask records)
        metrics = ', '.join(f'{k} {v:.3f}' for k, v in sorted(found.items())
                            if k.endswith(SHOWN_METRICS))
        reused = f', reused from a pretraining started {record["started"]}' if record.get('reused') else ''
        batch = (f'{record["batch_size"]} samples x {record["views"]} view{"s" * (record["views"] != 1)}'
                 if 'views' in record else 'batch of the config')
        config = record.get('config', PRETRAINABLE[method])
        parts.append(f'{method}: {record["iters"]} iterations ({batch}) of `{config}` '
                     f'(seed {record["seed"]}) on '
                     f'{record.get("num_images")} frames, {record["wall_time_s"] / 60:.0f} min, load '
                     f'{record["load_start"]} → {record["load_end"]}, commit {record["commit"]}'
                     f'{"; held-out " + metrics if metrics else ""}{reused}')
    return ('Pretrainings (all on the frames uNLC kept from the same '
            f'{next(iter(records.values()))["n_clips"]} synthetic clips): ' + '; '.join(parts) + '.')


def run_miniature(args, checkpoints: Dict[str, Optional[str]]) -> tuple:
    data_root = prepare_toy_voc(args.out_dir, splits=dict(zip(('train', 'val', 'test'), args.toy_images)))
    pretrainings = {}
    for method in args.pretrain:
        record = pretrain_toy(args.out_dir, method, iters=args.pretrain_iters, n_clips=args.pretrain_clips,
                              inputs_per_step=args.pretrain_inputs)
        pretrainings[method] = record
        checkpoints[method] = record['backbone']
    rows = []
    for item in args.plan:
        task, _, settings = item.partition(':')
        if not settings:
            raise SystemExit(f'--plan item {item!r}: expected TASK:FROZEN[,FROZEN...]')
        rows += run_toy_transfer(args.out_dir, data_root, checkpoints, tasks=[task], frozen=settings.split(','),
                                 seeds=args.seeds, extra_options=args.cfg_options, match_layout=True)
    return rows, pretrainings, data_root


def run_full(args, checkpoints: Dict[str, Optional[str]]) -> List[dict]:
    work_root = osp.join(args.out_dir, 'runs')
    toolbox = osp.basename(osp.dirname(osp.normpath(args.config_dir)))
    modules = FULL_INIT_MODULES.get(toolbox, ('model.backbone', ))
    if not args.collect_only:
        task = {'mmdetection': 'det', 'mmsegmentation': 'seg'}.get(toolbox, 'voc07')
        for label, checkpoint in checkpoints.items():
            env = dict(os.environ, SEEDS=' '.join(map(str, args.seeds)), WORK_ROOT=work_root,
                       INIT_MODULES=' '.join(modules))
            config = sorted(glob.glob(osp.join(args.config_dir, '*.py')))[:1]
            extra = layout_options(task, checkpoint, *config) + list(args.cfg_options)
            command = ['bash', package_path('tools', 'benchmarks', 'sweep.sh'), args.launcher, args.config_dir,
                       checkpoint or 'none', label, *extra]
            print('$ ' + ' '.join(map(shlex.quote, command)), flush=True)
            if subprocess.run(command, env=env).returncode != 0:
                raise SystemExit(f'the sweep of {label} failed (command above)')
    labels = set(checkpoints)
    return [row for row in collect(work_root) if row['checkpoint'] in labels] if osp.isdir(work_root) else []


def main() -> None:
    args = parse_args()
    start, started, load_start = time.time(), now(), machine_load()
    checkpoints = parse_checkpoints(args.checkpoint)
    if args.config_dir:
        rows, pretrainings, data_root = run_full(args, checkpoints), {}, None
    else:
        rows, pretrainings, data_root = run_miniature(args, checkpoints)
    if not rows:
        sys.exit('no finished run to compare (for slurm/dist sweeps: rerun with --collect-only when they finish)')
    try:
        tables = summary_tables(rows)
    except MixedResultsError as error:
        sys.exit(f'error: {error}')
    write_csv(rows, args.csv, replace_checkpoints=True)
    plot_frozen_sweep(rows, args.figure, title='score against frozen depth (mean ± std over seeds)')
    print(tables)
    print(f'wrote {len(rows)} rows to {args.csv} and the figure {args.figure}')
    if args.doc and data_root:
        image_sets = osp.join(data_root, 'VOC2007', 'ImageSets', 'Main')
        external = [f'{label} = `{path}` (sha256 {file_sha256(path)[:12]})' for label, path in checkpoints.items()
                    if path and label not in pretrainings]
        figure = osp.relpath(args.figure, osp.dirname(osp.abspath(args.doc)))
        text = (f'{SECTION}\n\n'
                f'Every checkpoint fine-tuned on the generated toy VOC '
                f'({count_lines(osp.join(image_sets, "trainval.txt"))} trainval / '
                f'{count_lines(osp.join(image_sets, "test.txt"))} test images) with progressively more '
                f'layers frozen. {describe_pretrainings(pretrainings)} '
                f'{"Checkpoints given as files: " + "; ".join(external) + ". " if external else ""}'
                f'{describe_runs(rows, started)} Every run is a row of `{args.csv}`.\n\n'
                f'Command: `python tools/benchmarks/compare_checkpoints.py '
                f'{" ".join(map(shlex.quote, sys.argv[1:]))}`; it took {(time.time() - start) / 60:.0f} min, with a '
                f'1-min load average of {load_start} at its start and {machine_load()} at its end.\n\n'
                + tables + f'\n![score against frozen depth]({figure})\n\n')
        replace_section(args.doc, SECTION, text)
        print(f'wrote the {SECTION[3:]} section of {args.doc}')


if __name__ == '__main__':
    main()
