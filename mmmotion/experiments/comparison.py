"""The paper's comparison: a frozen-layer sweep (All ... >c5) for a list of checkpoints, one table row per
checkpoint and a figure of score against frozen depth, one line per method.

Miniature, on this CPU (generated toy VOC; the pretexts pretrained here on the same frames as MotionMask):

    python tools/benchmarks/compare_checkpoints.py --pretrain motionmask rotationpred relativeloc simclr \
        --plan seg:all,c1,c2,c3,c4,c5 voc07:all,c5 --seeds 0 1 2 --doc docs/benchmarks.md \
        [--checkpoint imagenet=work_dirs/alexnet_torchvision.pth]

Whether a toy benchmark tells representations apart: a supervised reference checkpoint trained here on labelled
toy images of its own (``--pretrain supervised``; ``--supervised-task`` picks what it learns: an FCN for ``seg``
plans, a Fast R-CNN, whose fc6/fc7 come along, for ``det`` ones), next to random init; the section lists every
difference to random init. ``--supervised-task photo-seg --plan photo-seg:...`` does the same
on the photo-style toy VOC (shapes textured with real photos, the outline the only cue):

    python tools/benchmarks/compare_checkpoints.py --pretrain supervised --supervised-task seg \
        --plan seg:all,c5 --seeds 0 1 2 --csv docs/results/comparison_reference.csv \
        --figure docs/figures/comparison_reference.png --doc docs/benchmarks.md \
        --section "## Does the toy benchmark tell representations apart? (a supervised reference)"

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

from mmmotion.engine.runs import INIT_MODULES, file_sha256, machine_load, now
from mmmotion.experiments.report import (MixedResultsError, collect, count_lines, describe_runs, doc_footer,
                                         reference_gaps, summary_tables, write_csv)
from mmmotion.experiments.toy_transfer import (PRETRAINABLE, SUPERVISED_TASKS, TOY_CONFIG_DIRS, TOY_SPLITS,
                                               layout_options, prepare_toy_voc, pretrain_supervised_toy,
                                               pretrain_toy, run_toy_transfer, toy_task)
from mmmotion.utils import package_path
from .options import parse_checkpoints, parse_plan
from mmmotion.utils.markdown import check_heading, replace_section
from mmmotion.visualization.transfer_plots import plot_frozen_sweep

SECTION = '## Checkpoint comparison (toy)'
SECTIONS = {'shapes': SECTION, 'photo': '## Checkpoint comparison (toy, photo style)'}
SHOWN_METRICS = ('true/mIoU', 'true/centred_box_mIoU')  # of a pretraining's held-out validation
DEFAULT_PLAN = ('seg:all,c1,c2,c3,c4,c5', 'voc07:all,c5')
# which modules load the checkpoint, by benchmark toolbox (Fast R-CNN's fc6/fc7 sit in its RoI head)
TOOLBOX_TASKS = {'mmdetection': 'det', 'mmsegmentation': 'seg', 'classification': 'voc07'}  # benchmark config folders


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--checkpoint', nargs='+', default=[], metavar='LABEL=PATH',
                        help='checkpoints to compare (PATH "none" = random init; random init is always included)')
    parser.add_argument('--pretrain', nargs='+', default=[], choices=sorted(PRETRAINABLE) + ['supervised'],
                        help='miniature: pretrain these methods on the same generated frames and compare them '
                             '(supervised: the reference, on labelled toy images of its own; see --supervised-task)')
    parser.add_argument('--supervised-task', default='seg', choices=SUPERVISED_TASKS,
                        help='miniature: the toy task whose labels the supervised reference learns, on images of its '
                             'own in the same style (seg, photo-seg: dense labels; det: boxes, fc6/fc7 included)')
    parser.add_argument('--supervised-iters', type=int, default=600,
                        help='miniature: iterations of the supervised reference (batches of 8)')
    parser.add_argument('--supervised-images', type=int, default=800,
                        help='miniature: labelled images of the supervised reference (none is a transfer image)')
    parser.add_argument('--pretrain-iters', type=int, default=600, help='miniature: iterations of every pretraining')
    parser.add_argument('--pretrain-clips', type=int, default=24, help='miniature: synthetic clips segmented by uNLC')
    parser.add_argument('--pretrain-inputs', type=int, default=8,
                        help='miniature: backbone inputs per pretraining step, the same for every method '
                             '(samples = inputs / views: RotationPred 4 views, RelativeLoc and SimCLR 2)')
    parser.add_argument('--plan', nargs='+', default=list(DEFAULT_PLAN),
                        help='miniature: TASK:FROZEN[,FROZEN...] items (tasks: ' + ', '.join(TOY_CONFIG_DIRS) + ')')
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
    parser.add_argument('--section', help='its heading (default: "' + SECTION + '", or "' + SECTIONS['photo']
                        + '" when every task is a photo one)')
    args = parser.parse_args()
    if args.section is not None:
        try:
            check_heading(args.section, '--section')
        except ValueError as err:
            parser.error(str(err))
    return args


def describe_pretrainings(records: Dict[str, dict]) -> str:
    """One sentence per method pretrained here, from its pretraining record."""
    if not records:
        return 'No checkpoint was pretrained by this command.'
    parts = []
    for method, record in records.items():
        data = (f'{record.get("num_images")} frames' if 'n_clips' in record else
                f'{record["n_images"]} labelled toy images of its own (data seed {record["data_seed"]}, '
                f'{record.get("task")} labels)')
        found = record.get('metrics') or record.get('mask_metrics') or {}  # (older MotionMask records)
        metrics = ', '.join(f'{k} {v:.3f}' for k, v in sorted(found.items())
                            if k.endswith(SHOWN_METRICS) or 'n_clips' not in record)  # a reference: its score
        reused = f', reused from a pretraining started {record["started"]}' if record.get('reused') else ''
        batch = (f'{record["batch_size"]} samples x {record["views"]} view{"s" * (record["views"] != 1)}'
                 if 'views' in record else 'batch of the config')
        config = record.get('config') or PRETRAINABLE[method]  # (older records lack it)
        parts.append(f'{method}: {record["iters"]} iterations ({batch}) of `{config}` '
                     f'(seed {record["seed"]}) on {data}, {record["wall_time_s"] / 60:.0f} min, load '
                     f'{record["load_start"]} → {record["load_end"]}, commit {record["commit"]}'
                     f'{"; held-out " + metrics if metrics else ""}{reused}')
    clips = sorted({r['n_clips'] for r in records.values() if 'n_clips' in r})
    where = (f' (the self-supervised ones on the frames uNLC kept from the same {" / ".join(map(str, clips))} '
             'synthetic clips)') if clips else ''
    return f'Pretrainings{where}: ' + '; '.join(parts) + '.'


def run_miniature(args, checkpoints: Dict[str, Optional[str]]) -> tuple:
    """Pretrain, then fine-tune every plan item; returns rows, pretraining records and {style: toy VOC root}."""
    plan = parse_plan(args.plan, TOY_CONFIG_DIRS)
    splits = dict(zip(('train', 'val', 'test'), args.toy_images))
    roots = {style: prepare_toy_voc(args.out_dir, splits=splits, style=style, proposals=style == 'shapes')
             for style in dict.fromkeys(toy_task(task)[0] for task, _ in plan)}
    pretrainings = {}
    for method in args.pretrain:
        if method == 'supervised':
            record = pretrain_supervised_toy(args.out_dir, args.supervised_task, iters=args.supervised_iters,
                                             n_images=args.supervised_images)
        else:
            record = pretrain_toy(args.out_dir, method, iters=args.pretrain_iters, n_clips=args.pretrain_clips,
                                  inputs_per_step=args.pretrain_inputs)
        pretrainings[method] = record
        checkpoints[method] = record['backbone']
    rows = []
    for task, settings in plan:
        rows += run_toy_transfer(args.out_dir, roots[toy_task(task)[0]], checkpoints, tasks=[task], frozen=settings,
                                 seeds=args.seeds, extra_options=args.cfg_options, match_layout=True)
    return rows, pretrainings, roots


def run_full(args, checkpoints: Dict[str, Optional[str]]) -> List[dict]:
    work_root = osp.join(args.out_dir, 'runs')
    toolbox = osp.basename(osp.dirname(osp.normpath(args.config_dir)))
    modules = INIT_MODULES[TOOLBOX_TASKS.get(toolbox, 'voc07')]
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
    checkpoints = parse_checkpoints(args.checkpoint, allow_none=True)
    if args.config_dir:
        rows, pretrainings, roots = run_full(args, checkpoints), {}, {}
    else:
        rows, pretrainings, roots = run_miniature(args, checkpoints)
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
    if args.doc and roots:
        style = next(iter(roots))
        image_sets = osp.join(roots[style], 'VOC2007', 'ImageSets', 'Main')
        section = args.section or (SECTIONS[style] if len(roots) == 1 else SECTION)
        external = [f'{label} = `{path}` (sha256 {file_sha256(path)[:12]})' for label, path in checkpoints.items()
                    if path and label not in pretrainings]
        figure = osp.relpath(args.figure, osp.dirname(osp.abspath(args.doc)))
        data = {'shapes': 'the generated toy VOC', 'photo': 'the photo-style toy VOC'}
        text = (f'{section}\n\n'
                f'Every checkpoint fine-tuned on {" and ".join(data[s] for s in roots)} '
                f'({count_lines(osp.join(image_sets, "trainval.txt"))} trainval / '
                f'{count_lines(osp.join(image_sets, "test.txt"))} test images) with progressively more '
                f'layers frozen. {describe_pretrainings(pretrainings)} '
                f'{"Checkpoints given as files: " + "; ".join(external) + ". " if external else ""}'
                f'{describe_runs(rows, started)} Every run is a row of `{args.csv}`.\n\n'
                + doc_footer(f'python tools/benchmarks/compare_checkpoints.py {shlex.join(sys.argv[1:])}', start,
                             load_start) + '\n\n'
                + tables + '\n' + reference_gaps(rows) + f'\n\n![score against frozen depth]({figure})\n\n')
        replace_section(args.doc, section, text)
        print(f'wrote the {section[3:]} section of {args.doc}')
