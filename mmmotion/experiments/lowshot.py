"""Study 4, low-shot detection (paper, Sec. 4.5): fine-tune on k images per class (1, 2, 5, 10 by default) for
several subset seeds and checkpoints, at All and >c5; plot mAP against k with the spread over subset seeds.

The subsets are ``KShotDataset``'s (seeded; classes with fewer images keep all of theirs); k and the subset seed
are swept with ``--cfg-options`` on the low-shot configs (miniature: ``configs/studies/lowshot``, the toy VOC;
full scale: ``configs/benchmarks/mmdetection/voc07_lowshot``), as ``tools/benchmarks/sweep.sh`` does with
SHOTS and SUBSET_SEEDS. In miniature the uNLC MotionMask checkpoint is pretrained here (the same run as the
Supervised Masks study's); other checkpoints come with ``--checkpoint LABEL=PATH``.
"""
from collections import defaultdict
from typing import Any, Dict, List, Sequence

from mmmotion.engine.runs import KSHOT_TYPES
from mmmotion.utils import package_path
from mmmotion.utils.run_options import pretraining_options
from .report import mean_std
from .study import (Pretraining, Study, TransferPlan, frames_root, miniature_iters, panel_lines, panel_name,
                    plot_panels, schedule_options, study_parser)

NAME = 'lowshot'
HEADING = '## Study: low-shot detection'
CONFIGS = {'miniature': 'studies/lowshot/fast-rcnn_alexnet{}_toy-lowshot.py',
           'full': 'benchmarks/mmdetection/voc07_lowshot/fast-rcnn_alexnet{}_voc07-lowshot.py'}
UNLC_CONFIG = 'motionmask/motionmask_alexnet-bn_1xb8-100it_tiny.py'  # the miniature's MotionMask pretraining
SHOTS = (1, 2, 5, 10)
SUBSET_SEEDS = (0, 1, 2)


def kshot_key(config: str) -> str:
    """Dotted key of the ``KShotDataset`` in ``config``'s training dataloader (through other wrappers)."""
    from mmengine.config import Config

    from mmmotion.utils.config import dataset_configs
    train_loader = Config.fromfile(config).train_dataloader
    for key, node in dataset_configs(train_loader, 'train_dataloader.dataset'):
        if node.get('type') in KSHOT_TYPES:
            return key
    raise KeyError(f'{config}: no KShotDataset in train_dataloader')


def lowshot_plan(args) -> TransferPlan:
    """k x subset seed x fine-tuning seed at each ``--frozen`` setting."""
    configs = {}
    for frozen in args.frozen:
        configs[frozen] = package_path('configs', CONFIGS[args.scale].format('' if frozen == 'all' else f'-{frozen}'))
    key = kshot_key(next(iter(configs.values())))
    root = args.transfer_root
    if args.scale == 'miniature' and not root:
        from mmmotion.experiments.toy_transfer import prepare_toy_voc
        root = prepare_toy_voc(args.out_dir)
    what = (f'toy VOC low-shot detection (Fast R-CNN, BN AlexNet; data `{root}`)' if args.scale == 'miniature'
            else 'VOC2007 low-shot detection (Fast R-CNN, AlexNet; full VOC2007 test)')
    return TransferPlan(configs=configs, data_root=root, options=schedule_options(args.transfer_iters),
                        grid={f'{key}.shots': tuple(args.shots), f'{key}.seed': tuple(args.subset_seeds)},
                        seeds=tuple(args.seeds), description=f'{what}, {", ".join(args.frozen)}, k = '
                        f'{", ".join(map(str, args.shots))}, subset seeds {", ".join(map(str, args.subset_seeds))}')


def series(rows: Sequence[dict]) -> Dict[str, Dict[str, Dict[Any, List[float]]]]:
    """Panels -> checkpoint -> {k: one value per subset seed (its mean over fine-tuning seeds)}."""
    runs: Dict[tuple, List[float]] = defaultdict(list)
    for row in rows:
        runs[(panel_name(row), row['checkpoint'], int(row['shots']), row['subset_seed'])].append(float(row['value']))
    panels: Dict[str, Dict[str, Dict[Any, List[float]]]] = defaultdict(lambda: defaultdict(dict))
    order = sorted(runs.items(), key=lambda item: (item[0][0], item[0][1] != 'random', item[0][1:]))
    for (name, label, shots, _), values in order:
        panels[name][label].setdefault(shots, []).append(mean_std(values)[0])
    return panels


def plot(rows: List[dict], pretrained: List[dict], path: str) -> None:
    plot_panels(series(rows), path, xlabel='k (training images per class)', ylabel='score', logx=True, band=True,
                title='Low-shot transfer: mean over subset seeds, bars = std, band = min-max')


def describe(rows: List[dict], pretrained: List[dict]) -> str:
    lines = panel_lines(series(rows), lambda k, v: f'k={k} {mean_std(v)[0]:.1f} ± {mean_std(v)[1]:.1f}')
    return ('Fast R-CNN fine-tuned on k training images per class (`KShotDataset`: a seeded subset; a class with '
            'fewer images keeps all of its own, and an image counts for every class in it), for each subset seed '
            'and checkpoint, tested on the whole test set. Mean ± std over subset seeds (each subset seed\'s value '
            'is its mean over fine-tuning seeds):\n\n' + '\n'.join(lines))


def parser(doc: str):
    parser = study_parser(doc, NAME, frozen=('all', 'c5'), seeds=(0, ))
    parser.add_argument('--shots', nargs='+', type=int, default=list(SHOTS), help='k values')
    parser.add_argument('--subset-seeds', nargs='+', type=int, default=list(SUBSET_SEEDS))
    parser.add_argument('--no-pretrain', action='store_true',
                        help='miniature: compare only random init and the --checkpoint files')
    return parser


def build(args) -> Study:
    pretrainings = []
    if args.scale == 'miniature' and not args.no_pretrain:
        config = package_path('configs', UNLC_CONFIG)
        pretrainings.append(Pretraining('motionmask', config,
                                        pretraining_options(config, miniature_iters(args), frames_root(args)),
                                        dict(data='uNLC pseudo masks')))
    return Study(NAME, HEADING, f'{args.scale} ({CONFIGS[args.scale].format("[-c5]")})', pretrainings,
                 lowshot_plan(args), plot, describe)
