"""What the studies share: pretrain -> export -> transfer -> rows -> figure -> doc section.

A study is a list of :class:`Pretraining` variants (a config plus ``--cfg-options``), a :class:`TransferPlan`
(benchmark configs per frozen setting, options, swept keys, seeds), and its own figure and text.
:func:`run_study` trains every variant, exports its backbone, fine-tunes every (frozen setting, checkpoint,
swept value, seed), writes the rows through the results collector (:mod:`mmmotion.experiments.report`),
draws the figure and replaces the study's section of the docs with text made from the runs' records.

Every run (pretraining or fine-tuning) is a :func:`mmmotion.apis.train.train_run`: the work dir keyed by its
identity, its run record, reuse of a finished run and resumption of an unfinished one, so a study resumes
where it stopped; ``local`` runs train in this process, ``dist`` and ``slurm`` runs go through
``tools/dist_train.sh`` and ``tools/slurm_train.sh``.
"""
import itertools
import os
import os.path as osp
import shlex
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from mmmotion.apis.train import LAUNCHERS, Launch, latest_checkpoint, prune_checkpoints, train_run
from mmmotion.engine.runs import INIT_MODULES, file_sha256, init_options, machine_load, now, read_record
from mmmotion.experiments.report import (doc_footer, last_validation, mean_std, read_work_dir, records_summary,
                                         summary_tables, write_csv)
from mmmotion.utils import package_path
from mmmotion.utils.markdown import check_heading, replace_section
from mmmotion.utils.run_options import data_root_options

# what MaskIoU logs (mmmotion.evaluation.metrics.mask_iou): against the pseudo masks and, where a dataset has
# them, the true masks, with the trivial predictions' scores
MASK_METRICS = tuple(f'mask/{kind}/{name}' for kind in ('pseudo', 'true')
                     for name in ('mIoU', 'all_fg_mIoU', 'all_bg_mIoU', 'centred_box_mIoU'))


@dataclass
class Pretraining:
    """One pretraining of a study: ``label`` names its checkpoint in the rows; ``meta`` holds the study's
    variables (noise kind and level, fraction of videos, ...), for the figure and the text."""
    label: str
    config: str
    options: Dict[str, Any] = field(default_factory=dict)
    meta: Dict[str, Any] = field(default_factory=dict)


def pretrain(variant: Pretraining, work_root: str, launch: Launch, log: Callable[[str], None] = print,
             keep_checkpoints: bool = False) -> dict:
    """Train ``variant`` (or reuse it), export its backbone to ``<work dir>/backbone.pth`` (then delete the
    training checkpoints unless ``keep_checkpoints``); returns its record with ``label``, ``meta``, ``work_dir``,
    ``backbone``, ``backbone_sha256`` and ``mask_metrics`` (its last validation)."""
    from mmmotion.apis.backbone_export import export_backbone
    work_dir = train_run(variant.config, variant.options, variant.label, work_root, launch, log)
    backbone = osp.join(work_dir, 'backbone.pth')
    if not osp.isfile(backbone):  # exported once the run has finished, so never from an older run
        export_backbone(latest_checkpoint(work_dir), backbone + '.part')
        os.replace(backbone + '.part', backbone)
    if not keep_checkpoints:
        prune_checkpoints(work_dir, keep=[backbone])
    return dict(read_record(work_dir), label=variant.label, meta=dict(variant.meta), work_dir=work_dir,
                backbone=backbone, backbone_sha256=file_sha256(backbone),
                mask_metrics=last_validation(work_dir, MASK_METRICS))


@dataclass
class TransferPlan:
    """The fine-tuning runs of each checkpoint: ``configs`` (frozen setting -> benchmark config), the benchmark's
    ``data_root`` (None: the configs' own), ``options`` for every run (e.g. a schedule), ``init_modules`` that
    load the checkpoint, ``grid`` (option key -> values swept, e.g. low-shot k and subset seeds), the
    fine-tuning ``seeds``, and a ``description`` for the docs."""
    configs: Dict[str, str]
    data_root: Optional[str] = None
    options: Dict[str, Any] = field(default_factory=dict)
    init_modules: Sequence[str] = INIT_MODULES['det']
    grid: Dict[str, Sequence[Any]] = field(default_factory=dict)
    seeds: Sequence[int] = (0, 1, 2)
    description: str = ''


def transfer(plan: TransferPlan, checkpoints: Dict[str, Optional[str]], work_root: str, launch: Launch,
             log: Callable[[str], None] = print, keep_checkpoints: bool = False) -> Tuple[List[dict], List[str]]:
    """Fine-tune every (frozen setting, checkpoint, grid point, seed) of ``plan`` not done yet (deleting each
    finished run's checkpoints unless ``keep_checkpoints``); returns the rows of all of them and their work
    dirs."""
    rows, work_dirs = [], []
    for frozen, config in plan.configs.items():
        data = data_root_options(config, plan.data_root) if plan.data_root else {}
        for label, checkpoint in checkpoints.items():
            for point in itertools.product(*plan.grid.values()):
                for seed in plan.seeds:
                    options = {**data, **plan.options, **dict(zip(plan.grid, point)), 'randomness.seed': seed,
                               **init_options(plan.init_modules, checkpoint)}
                    work_dir = train_run(config, options, label, work_root, launch, log)
                    found = read_work_dir(work_dir)
                    if not found:
                        raise RuntimeError(f'{work_dir}: finished without a validation metric')
                    if not keep_checkpoints:
                        prune_checkpoints(work_dir)
                    for row in found:
                        log(f'  {row["benchmark"]} {frozen} {label} {dict(zip(plan.grid, point))} seed {seed}: '
                            f'{row["metric"]} {row["value"]}')
                    rows.extend(found)
                    work_dirs.append(work_dir)
    return rows, work_dirs


# ------------------------------------------------------------------------------------------------ figures


def plot_panels(panels: Dict[str, Dict[str, Dict[Any, List[float]]]], path: str, xlabel: str, ylabel: str,
                logx: bool = False, baselines: Optional[Dict[str, Dict[str, List[float]]]] = None,
                band: bool = False, title: str = '') -> None:
    """A PNG with one panel per ``panels`` key (its title): in each, one line per label through
    ``{x: values}`` at the values' mean, error bars = their standard deviation (and, with ``band``, a shaded
    min-max range). Numeric x are placed as they are (log scale with ``logx``), other x as categories in
    their order. ``baselines`` (panel -> label -> values) are dashed horizontal lines with their spread."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    from mmmotion.visualization.transfer_plots import save_figure
    if not panels:
        raise ValueError(f'nothing to plot for {path}')
    figure, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 3.8), squeeze=False)
    for ax, (name, lines) in zip(axes[0], panels.items()):
        categories = list(dict.fromkeys(x for points in lines.values() for x in points
                                        if not isinstance(x, (int, float))))
        for label, points in lines.items():
            xs = list(points) if categories else sorted(points)
            stats = [mean_std(points[x]) for x in xs]
            where = [categories.index(x) if categories else x for x in xs]
            shown = ax.errorbar(where, [m for m, _ in stats], yerr=[s for _, s in stats], marker='o', capsize=3,
                                label=label)
            if band:
                ax.fill_between(where, [min(points[x]) for x in xs], [max(points[x]) for x in xs], alpha=0.15,
                                color=shown[0].get_color())
        for label, values in ((baselines or {}).get(name) or {}).items():
            mean, std = mean_std(values)
            line = ax.axhline(mean, linestyle='--', color='grey', label=f'{label} (mean ± std)')
            ax.axhspan(mean - std, mean + std, alpha=0.1, color=line.get_color())
        if categories:
            ax.set_xticks(range(len(categories)), [str(c) for c in categories])
        else:
            if logx:
                ax.set_xscale('log')
                ax.minorticks_off()
            ticks = sorted({x for points in lines.values() for x in points})
            ax.set_xticks(ticks, [f'{x:g}' for x in ticks])
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(name, fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    save_figure(figure, path, title)


def panel_lines(panels: Dict[str, Dict[str, Dict[Any, List[float]]]], show: Callable[[Any, List[float]], str],
                sep: str = ', ') -> List[str]:
    """Markdown list items ``- <panel>, <line>: <point><sep><point>...``, each point as ``show(x, values)``
    (numeric x in increasing order, others in their order)."""
    def order(points):
        return sorted(points) if all(isinstance(x, (int, float)) for x in points) else list(points)
    return [f'- {name}, {label}: ' + sep.join(show(x, points[x]) for x in order(points))
            for name, lines in panels.items() for label, points in lines.items()]


def scores(rows: Sequence[dict], labels: Sequence[str]) -> Tuple[List[Tuple[str, str, float]],
                                                                 Dict[str, Dict[str, List[float]]]]:
    """The rows of the study's own checkpoints (``labels``) as (panel, label, value), and those of the others
    (random init, checkpoints given as they are) as baselines: panel -> label -> values."""
    own, baselines = [], {}
    for row in rows:
        if row['checkpoint'] in labels:
            own.append((panel_name(row), row['checkpoint'], float(row['value'])))
        else:
            baselines.setdefault(panel_name(row), {}).setdefault(row['checkpoint'], []).append(float(row['value']))
    return own, baselines


def panel_name(row: dict) -> str:
    """A figure panel's title for a row's benchmark, metric and frozen setting."""
    frozen = {'all': 'All'}.get(row['frozen'], f'>{row["frozen"]}')
    return f'{row["benchmark"]} {row["metric"]}, {frozen}'


# ------------------------------------------------------------------------------------------------- the study


@dataclass
class Study:
    """One study: its pretraining variants, the transfer plan, the checkpoints compared as they are (label ->
    path, None = random init), and its figure (``plot(rows, pretrained, path)``) and text (``describe(rows,
    pretrained)``, markdown)."""
    name: str
    heading: str
    scale: str
    pretrainings: List[Pretraining]
    plan: TransferPlan
    plot: Callable[[List[dict], List[dict], str], None]
    describe: Callable[[List[dict], List[dict]], str]
    checkpoints: Dict[str, Optional[str]] = field(default_factory=lambda: {'random': None})


def runs_summary(work_dirs: Sequence[str], since: str) -> str:
    """Runs, reuse, wall time, load and commits of ``work_dirs``, from their records (a run that started
    before ``since``, an ISO time, was reused from an earlier invocation)."""
    summary = records_summary(work_dirs, since)
    if summary is None:
        return 'no runs'
    count, loads = len(summary['records']), summary['loads']
    load = f'{min(loads):.1f} to {max(loads):.1f}' if loads else 'unknown'
    runs = f'{count} run' + ('s' if count != 1 else '')
    return (f'{runs} ({summary["reused"]} reused from an earlier invocation), '
            f'{sum(summary["wall_times"]) / 60:.0f} min of training in all, 1-min load average {load} at their '
            f'starts and ends, commit {", ".join(summary["commits"])}')


def pretraining_table(pretrained: Sequence[dict]) -> str:
    """Markdown: each pretraining's label, variables, iterations, time and held-out mask IoU (MaskIoU's
    ``pseudo`` score: against the masks of the pretraining's own data; ``true``: against true masks, where a
    dataset has them)."""
    keys = list(dict.fromkeys(k for p in pretrained for k in p['meta']))
    lines = ['| checkpoint | ' + ' | '.join(keys) + ' | iterations | min | held-out mask IoU vs its own masks '
             '(uNLC or COCO) | vs true masks |',
             '|---|' + '---|' * (len(keys) + 4)]
    for p in pretrained:
        metrics = p.get('mask_metrics') or {}
        iou = [f'{metrics[k]:.2f}' if k in metrics else '–' for k in ('mask/pseudo/mIoU', 'mask/true/mIoU')]
        values = [str(p['meta'].get(k, '')) for k in keys]
        lines.append(f'| {p["label"]} | ' + ' | '.join(values) + f' | {p.get("max_iters")} | '
                     f'{(p.get("wall_time_s") or 0) / 60:.1f} | {iou[0]} | {iou[1]} |')
    return '\n'.join(lines)


def run_study(study: Study, out_dir: str, launch: Launch, csv_path: str, figure: str, doc: str, command: str,
              log: Callable[[str], None] = print, keep_checkpoints: bool = False) -> dict:
    """Pretrain, export, transfer, write rows, figure and the doc section; returns ``rows``, ``pretrained``
    and the section ``text``. Finished runs' training checkpoints are deleted unless ``keep_checkpoints`` (the
    exported backbones stay)."""
    start, started, load_start = time.time(), now(), machine_load()
    pretrained = [pretrain(p, osp.join(out_dir, 'pretrain'), launch, log, keep_checkpoints)
                  for p in study.pretrainings]
    checkpoints = dict(study.checkpoints, **{p['label']: p['backbone'] for p in pretrained})
    rows, work_dirs = transfer(study.plan, checkpoints, osp.join(out_dir, 'runs'), launch, log, keep_checkpoints)
    write_csv(rows, csv_path, replace_checkpoints=True)
    study.plot(rows, pretrained, figure)
    picture = osp.relpath(osp.abspath(figure), osp.dirname(osp.abspath(doc)))
    text = (f'{study.heading}\n\n{study.describe(rows, pretrained)}\n\n'
            f'Scale: {study.scale}. Transfer: {study.plan.description or ", ".join(study.plan.configs.values())}; '
            f'fine-tuning seeds {", ".join(map(str, study.plan.seeds))}.\n\n'
            f'![{study.name}]({picture})\n\n'
            f'Pretrainings ({runs_summary([p["work_dir"] for p in pretrained], started)}):\n\n'
            f'{pretraining_table(pretrained)}\n\n'
            f'Fine-tuning ({runs_summary(work_dirs, started)}); every run is a row of `{csv_path}` with its work '
            f'dir and hashes:\n\n{summary_tables(rows)}\n'
            f'{doc_footer(command, start, load_start)}\n\n')
    os.makedirs(osp.dirname(osp.abspath(doc)), exist_ok=True)
    replace_section(doc, study.heading, text)
    log(f'wrote {len(rows)} rows to {csv_path}, {figure} and the "{study.heading[3:]}" section of {doc}')
    return dict(rows=rows, pretrained=pretrained, text=text)


# ------------------------------------------------------------------------------------------- command line

SCALES = ('miniature', 'full')
VOC07_DET_DIR = 'benchmarks/mmdetection/voc07'  # under the package's configs: fast-rcnn_alexnet[-cK]_voc07.py


def study_parser(doc: str, name: str, frozen: Sequence[str] = ('c5', ), pretrain_iters: int = 150,
                 seeds: Sequence[int] = (0, 1, 2)):
    """The arguments every study tool takes (a study adds its own)."""
    import argparse

    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--scale', choices=SCALES, default='miniature',
                        help='miniature: CPU-sized configs and generated data; full: the paper-sized configs')
    parser.add_argument('--out-dir', default='work_dirs/studies', help='data, pretrainings and runs (shared by '
                        'the studies: identical runs are reused)')
    parser.add_argument('--launcher', choices=LAUNCHERS, default='local',
                        help='local: in this process; dist: tools/dist_train.sh; slurm: tools/slurm_train.sh')
    parser.add_argument('--gpus', type=int, default=8, help='dist / slurm: GPUs per run')
    parser.add_argument('--partition', help='slurm partition')
    parser.add_argument('--seeds', nargs='+', type=int, default=list(seeds), help='fine-tuning seeds')
    parser.add_argument('--frozen', nargs='+', default=list(frozen), help='frozen settings: all, c1 ... c5')
    parser.add_argument('--pretrain-iters', type=int, default=pretrain_iters,
                        help='miniature pretraining iterations (full scale: the config\'s own schedule)')
    parser.add_argument('--transfer-iters', type=int, help='fine-tuning iterations (default: the config\'s own)')
    parser.add_argument('--pretrain-options', nargs='+', action=DictAction, default={}, metavar='KEY=VALUE',
                        help='more --cfg-options for every pretraining (after the study\'s own)')
    parser.add_argument('--transfer-options', nargs='+', action=DictAction, default={}, metavar='KEY=VALUE',
                        help='more --cfg-options for every fine-tuning run')
    parser.add_argument('--data-root', help='uNLC pseudo-ground-truth dataset to pretrain on (miniature default: '
                        'uNLC on generated synthetic clips; full default: the config\'s data/unlc/)')
    parser.add_argument('--clips', type=int, default=24, help='miniature: synthetic clips segmented by uNLC')
    parser.add_argument('--frames', type=int, default=10, help='miniature: frames per synthetic clip')
    parser.add_argument('--transfer-root', help='benchmark data root (miniature default: the generated toy VOC; '
                        'full default: the configs\' own)')
    parser.add_argument('--toy-task', default='det',
                        help='miniature: the toy benchmark to transfer to (det, seg, voc07; photo-seg and photo-voc07 '
                        'are the photo-style toy VOC, where frozen random features fall behind)')
    parser.add_argument('--checkpoint', nargs='+', default=[], metavar='LABEL=PATH',
                        help='more checkpoints to fine-tune as they are (e.g. another study\'s backbone.pth)')
    parser.add_argument('--no-random', action='store_true', help='no random-init runs')
    parser.add_argument('--keep-checkpoints', action='store_true',
                        help='keep the training checkpoints of finished runs (default: only the exported backbones)')
    parser.add_argument('--csv', default=f'docs/results/{name}.csv')
    parser.add_argument('--figure', default=f'docs/figures/{name}.png')
    parser.add_argument('--doc', default='docs/benchmarks.md', help='markdown file that gets the study\'s section')
    parser.add_argument('--section', help='heading of that section (default: the study\'s own, e.g. "## Study: '
                        'noisy masks"); another heading keeps a partial rerun (say another --frozen) beside it')
    return parser


def launch_of(args) -> Launch:
    return Launch(args.launcher, gpus=args.gpus, partition=args.partition)


def given_checkpoints(args) -> Dict[str, Optional[str]]:
    """Random init (unless ``--no-random``) and the ``--checkpoint LABEL=PATH`` files."""
    from .options import parse_checkpoints
    return parse_checkpoints(args.checkpoint, random=not args.no_random)


def frames_root(args) -> Optional[str]:
    """The pretraining frames: ``--data-root``, else (miniature) uNLC masks of generated synthetic clips, made
    once under ``--out-dir``; None at full scale (the config's own)."""
    if args.data_root or args.scale == 'full':
        return args.data_root
    from mmmotion.experiments.toy_transfer import toy_frames
    return toy_frames(args.out_dir, n_clips=args.clips, n_frames=args.frames)['data_root']


def miniature_iters(args) -> Optional[int]:
    """Pretraining iterations: ``--pretrain-iters`` in miniature, the config's own at full scale."""
    return args.pretrain_iters if args.scale == 'miniature' else None


def schedule_options(iters: Optional[int]) -> Dict[str, int]:
    """A fine-tuning schedule of ``iters`` iterations, validated at its end (none: the config's own)."""
    return {'train_cfg.max_iters': iters, 'train_cfg.val_interval': iters} if iters else {}


def transfer_plan(args) -> TransferPlan:
    """The fine-tuning runs at ``--frozen`` settings: in miniature the toy benchmark ``--toy-task`` (default
    Fast R-CNN detection on the toy VOC; ``photo-seg`` / ``photo-voc07``: the discriminative photo-style toy
    VOC), at full scale VOC07 detection."""
    if args.scale == 'miniature':
        from mmengine.config import Config

        from mmmotion.experiments.toy_transfer import (DATA_ROOT_SUBDIR, prepare_toy_voc, toy_config,
                                                       toy_task)
        style, task = toy_task(args.toy_task)
        configs = {frozen: toy_config(args.toy_task, frozen) for frozen in args.frozen}
        root = args.transfer_root or prepare_toy_voc(args.out_dir, style=style, proposals=task == 'det')
        benchmark = Config.fromfile(next(iter(configs.values()))).get('benchmark')
        what = f'the toy benchmark {benchmark} (BN AlexNet; data `{root}`)'
        root, modules = osp.join(root, DATA_ROOT_SUBDIR[task]), INIT_MODULES[task]
    else:
        configs = {frozen: package_path('configs', VOC07_DET_DIR, 'fast-rcnn_alexnet'
                                        + ('' if frozen == 'all' else f'-{frozen}') + '_voc07.py')
                   for frozen in args.frozen}
        root, modules = args.transfer_root, INIT_MODULES['det']
        what = 'VOC2007 detection (Fast R-CNN, AlexNet)'
    return TransferPlan(configs=configs, data_root=root, options=schedule_options(args.transfer_iters),
                        init_modules=modules, seeds=tuple(args.seeds), description=f'{what}, {", ".join(args.frozen)}')


def main(build: Callable[[Any], Study], parser, argv: Optional[Sequence[str]] = None,
         tool: Optional[str] = None) -> dict:
    """Parse the arguments (``argv``, default the command line), build the study and run it: what each
    ``tools/studies/*.py`` does. ``tool`` names the script in the docs (default ``sys.argv[0]``)."""
    import sys
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    study = build(args)
    if args.section is not None:  # checked before any training, not when the section is written
        study.heading = check_heading(args.section, '--section')
    study.checkpoints = given_checkpoints(args)
    for variant in study.pretrainings:
        variant.options.update(args.pretrain_options)
    study.plan.options.update(args.transfer_options)
    command = 'python ' + ' '.join(shlex.quote(word) for word in [tool or osp.relpath(sys.argv[0])] + argv)
    return run_study(study, args.out_dir, launch_of(args), args.csv, args.figure, args.doc, command,
                     keep_checkpoints=args.keep_checkpoints)
