"""Study 3, Supervised Masks on real COCO (paper, Table 1): MotionMask trained on COCO instance masks with the
class labels discarded, against MotionMask on uNLC pseudo masks and random init, in one transfer table.

Miniature: the coco128 instances file (128 real COCO train2017 images, ``../shared/data/coco128``) split into a
training part and a seeded held-out 20% on which the mask IoU is measured; the uNLC pretraining is the tiny
config on uNLC masks of generated synthetic clips, with the same schedule. Full scale: the 8xb32-80k configs on
COCO 2017 (or 2014) train, read unchanged, and on the uNLC dataset.
"""
from collections import defaultdict
from typing import Any, Dict, List, Sequence

from mmmotion.datasets.builder import build_train_dataset
from mmmotion.utils import package_path
from mmmotion.utils.run_options import pretraining_options
from .report import mean_std
from .study import (Pretraining, Study, transfer_plan, frames_root, miniature_iters, panel_lines, plot_panels,
                    study_parser)

NAME = 'supervised_masks'
HEADING = '## Study: Supervised Masks on real COCO'
COCO128 = '../shared/data/coco128'  # the miniature's default COCO root, relative to the repository
COCO_CONFIGS = {'miniature': 'studies/supervised_masks/motionmask_alexnet-bn_tiny_coco128-supervised-masks.py',
                'full2017': 'motionmask/motionmask_alexnet_8xb32-80k_coco-supervised-masks.py',
                'full2014': 'studies/supervised_masks/motionmask_alexnet_8xb32-80k_coco2014-supervised-masks.py'}
UNLC_CONFIGS = {'miniature': 'motionmask/motionmask_alexnet-bn_1xb8-100it_tiny.py',
                'full': 'motionmask/motionmask_alexnet_8xb32-80k_unlc.py'}
SUPERVISED, UNLC = 'supervised-masks', 'motionmask'  # checkpoint labels (motionmask: the other studies' too)


def variants(coco_config: str, coco_root: str, unlc_config: str, unlc_root: str, iters: int) -> List[Pretraining]:
    """The Supervised Masks pretraining and the uNLC one, with the same schedule; each with its training-set
    size and data."""
    found = []
    for label, config, root, data in ((SUPERVISED, coco_config, coco_root, 'COCO instance masks, labels discarded'),
                                      (UNLC, unlc_config, unlc_root, 'uNLC pseudo masks')):
        options = pretraining_options(config, iters, root)
        dataset = build_train_dataset(config, options, with_pipeline=False)
        found.append(Pretraining(label, config, options,
                                 dict(data=data, root=getattr(dataset, 'data_root', root), images=len(dataset))))
    return found


def series(rows: Sequence[dict]) -> Dict[str, Dict[str, Dict[Any, List[float]]]]:
    """Panels (benchmark, metric) -> frozen setting -> {checkpoint: values}, checkpoints in the order random,
    uNLC, Supervised Masks, others."""
    order = {'random': 0, UNLC: 1, SUPERVISED: 2}
    panels: Dict[str, Dict[str, Dict[Any, List[float]]]] = defaultdict(lambda: defaultdict(dict))
    for row in sorted(rows, key=lambda r: (order.get(r['checkpoint'], 3), r['checkpoint'])):
        frozen = {'all': 'All'}.get(row['frozen'], f'>{row["frozen"]}')
        panels[f'{row["benchmark"]} {row["metric"]}'][frozen].setdefault(row['checkpoint'], []).append(
            float(row['value']))
    return panels


def plot(rows: List[dict], pretrained: List[dict], path: str) -> None:
    plot_panels(series(rows), path, xlabel='pretraining', ylabel='score',
                title='Supervised Masks (COCO) vs uNLC pseudo masks vs random init')


def describe(rows: List[dict], pretrained: List[dict]) -> str:
    lines = panel_lines(series(rows), lambda label, v: f'{label} {mean_std(v)[0]:.1f} ± {mean_std(v)[1]:.1f}')
    data = '; '.join(f'{p["label"]}: {p["meta"]["data"]}, {p["meta"]["images"]} training images or frames in '
                     f'`{p["meta"]["root"]}`' for p in pretrained)
    return ('The same MotionMask model and schedule pretrained on COCO instance masks with the class labels '
            'discarded ("Supervised Masks") and on uNLC pseudo masks, then fine-tuned, next to random init. '
            f'Data: {data}. The mask IoU in the pretraining table is measured on each pretraining\'s own held-out '
            'part (COCO: held-out images of the same instances file; uNLC: held-out videos), so the two are not '
            'comparable with each other. Mean ± std over fine-tuning seeds:\n\n' + '\n'.join(lines))


def parser(doc: str):
    parser = study_parser(doc, NAME, frozen=('all', 'c5'))
    parser.add_argument('--coco-root', help=f'COCO root (miniature default: {COCO128}; full default: the '
                        'config\'s data/coco/)')
    parser.add_argument('--coco-year', choices=('2014', '2017'), default='2017', help='full scale: COCO train files')
    return parser


def build(args) -> Study:
    if args.scale == 'miniature':
        coco_config, coco_root = COCO_CONFIGS['miniature'], args.coco_root or COCO128
    else:
        coco_config, coco_root = COCO_CONFIGS[f'full{args.coco_year}'], args.coco_root
    pretrainings = variants(package_path('configs', coco_config), coco_root,
                            package_path('configs', UNLC_CONFIGS[args.scale]), frames_root(args), miniature_iters(args))
    return Study(NAME, HEADING, f'{args.scale} ({coco_config}; {UNLC_CONFIGS[args.scale]})', pretrainings,
                 transfer_plan(args), plot, describe)
