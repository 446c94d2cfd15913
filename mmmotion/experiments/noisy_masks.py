"""Study 1, noisy masks (paper, Sec. 4.2): pretrain on pseudo masks degraded at several levels per kind, transfer,
and plot the transfer score against the noise level, one line per kind.

Every pretraining is the one config with an identity ``MaskDegradation`` step
(``configs/studies/noisy_masks/*-noisy.py``), its kind and level set by ``--cfg-options`` on that step: dilate
and erode by k px, truncate p% of each object's extent, drop each frame's objects with probability p (a missed
object), add n discs (a false detection). The clean pretraining (level 0) is every line's first point.
"""
import functools
from collections import defaultdict
from typing import Any, Dict, List, Sequence, Tuple

from mmmotion.utils import package_path
from mmmotion.utils.run_options import pretraining_options
from .report import mean_std
from .study import (Pretraining, Study, transfer_plan, frames_root, miniature_iters, panel_lines, plot_panels, scores,
                    study_parser)

NAME = 'noisy_masks'
HEADING = '## Study: noisy masks'
CONFIGS = {'miniature': 'studies/noisy_masks/motionmask_alexnet-bn_tiny_unlc-noisy.py',
           'full': 'studies/noisy_masks/motionmask_alexnet_8xb32-80k_unlc-noisy.py'}
# kind -> the MaskDegradation mode, the argument its level sets, the level's unit in the docs, the factor from
# the level as given to the argument, and fixed arguments
KINDS: Dict[str, dict] = {
    'dilate': dict(mode='dilate', key='pixels', unit='px', factor=1),
    'erode': dict(mode='erode', key='pixels', unit='px', factor=1),
    'truncate': dict(mode='truncate', key='fraction', unit='% of extent', factor=0.01),
    'blob_drop': dict(mode='blob_drop', key='prob', unit='% of frames lose an object', factor=0.01,
                      fixed=dict(blobs=1)),
    'blob_add': dict(mode='blob_add', key='blobs', unit='discs added', factor=1),
}
# levels per kind and scale (miniature frames are 160x120, full-scale uNLC frames about 4x larger)
LEVELS = {
    'miniature': dict(dilate=(3, 8), erode=(3, 8), truncate=(25, 50), blob_drop=(25, 50), blob_add=(1, 3)),
    'full': dict(dilate=(5, 10, 20), erode=(5, 10, 20), truncate=(10, 25, 50), blob_drop=(25, 50, 75),
                 blob_add=(1, 2, 4)),
}
BLOB_RADIUS = {'miniature': 8, 'full': 24}  # px, of the added discs


@functools.lru_cache(maxsize=None)
def degradation_key(config: str) -> str:
    """Dotted key of the ``MaskDegradation`` step in ``config``'s training pipeline."""
    from mmengine.config import Config
    pipeline = Config.fromfile(config).train_dataloader.dataset.pipeline
    found = [i for i, step in enumerate(pipeline)
             if step.get('type') in ('MaskDegradation', 'mmmotion.MaskDegradation')]
    if len(found) != 1:
        raise KeyError(f'{config}: expected one MaskDegradation step in train_dataloader.dataset.pipeline, '
                       f'found {len(found)}')
    return f'train_dataloader.dataset.pipeline.{found[0]}'


def level_label(kind: str, level: float) -> str:
    """The checkpoint label of a kind and level, e.g. 'dilate-8px', 'truncate-25pct'."""
    unit = KINDS[kind]['unit']
    return f'{kind}-{level:g}' + ('px' if unit == 'px' else 'pct' if unit.startswith('%') else '')


def degradation_options(config: str, kind: str, level: float, blob_radius: int) -> Dict[str, Any]:
    """Options that set the config's degradation step to ``kind`` at ``level``."""
    if kind not in KINDS:
        raise KeyError(f'unknown noise kind {kind!r}; one of {sorted(KINDS)}')
    spec, key = KINDS[kind], degradation_key(config)
    values = dict(spec.get('fixed', {}), mode=spec['mode'], **{spec['key']: level * spec['factor']})
    if kind == 'blob_add':
        values['blob_radius'] = blob_radius
    return {f'{key}.{name}': value for name, value in values.items()}


def variants(config: str, levels: Dict[str, Sequence[float]], blob_radius: int,
             base: Dict[str, Any]) -> List[Pretraining]:
    """The clean pretraining and one per (kind, level), all with the ``base`` options."""
    found = [Pretraining('clean', config, dict(base), dict(kind='clean', level=0))]
    for kind, values in levels.items():
        for level in values:
            found.append(Pretraining(level_label(kind, level), config,
                                     {**base, **degradation_options(config, kind, level, blob_radius)},
                                     dict(kind=kind, level=level)))
    return found


def series(rows: Sequence[dict], pretrained: Sequence[dict]) -> Tuple[Dict[str, Dict[str, Dict[Any, List[float]]]],
                                                                      Dict[str, Dict[str, List[float]]]]:
    """Panels (benchmark, metric, frozen) -> kind -> {severity step: values}, step 0 = clean, and the
    checkpoints that are not pretrainings of the study (random init) as baselines."""
    meta = {p['label']: p['meta'] for p in pretrained}
    steps = defaultdict(list)
    for p in pretrained:
        if p['meta']['kind'] != 'clean':
            steps[p['meta']['kind']].append(p['meta']['level'])
    own, baselines = scores(rows, list(meta))
    panels: Dict[str, Dict[str, Dict[Any, List[float]]]] = defaultdict(lambda: defaultdict(dict))
    for name, label, value in own:
        kind, level = meta[label]['kind'], meta[label]['level']
        for line in (steps if kind == 'clean' else [kind]):
            step = 0 if kind == 'clean' else sorted(steps[kind]).index(level) + 1
            legend = f'{line} ({", ".join(f"{v:g}" for v in sorted(steps[line]))} {KINDS[line]["unit"]})'
            panels[name][legend].setdefault(step, []).append(value)
    return panels, baselines


def plot(rows: List[dict], pretrained: List[dict], path: str) -> None:
    panels, baselines = series(rows, pretrained)
    plot_panels(panels, path, xlabel='noise level (0 = clean masks; levels in the legend)', ylabel='score',
                baselines=baselines, title='Transfer after pretraining on degraded masks')


def describe(rows: List[dict], pretrained: List[dict]) -> str:
    """The study's text: what was degraded, and each line's mean score from clean to the highest level."""
    panels, baselines = series(rows, pretrained)
    lines = panel_lines(panels, lambda step, values: f'{mean_std(values)[0]:.1f}', sep=' → ')
    lines += [f'- {name}, {label}: {mean_std(values)[0]:.1f}' for name, found in baselines.items()
              for label, values in found.items()]
    return ('MotionMask pretrained on uNLC pseudo masks degraded on the fly (`MaskDegradation` right after '
            '`LoadSoftMask`, one config with the step set per level by `--cfg-options`), one pretraining per kind '
            'and level plus the clean one, then fine-tuned. Mean transfer score (over fine-tuning seeds) from '
            'clean masks to the highest level:\n\n' + '\n'.join(lines))


def parse_levels(items: Sequence[str]) -> Dict[str, Tuple[float, ...]]:
    """``KIND=L1,L2`` items -> {kind: levels}."""
    levels = {}
    for item in items:
        kind, _, values = item.partition('=')
        if kind not in KINDS or not values:
            raise ValueError(f'--levels {item!r}: expected KIND=L1[,L2...] with KIND one of {sorted(KINDS)}')
        levels[kind] = tuple(int(float(v)) if float(v).is_integer() else float(v) for v in values.split(','))
    return levels


def parser(doc: str):
    """The tool's arguments: :func:`~mmmotion.experiments.study.study_parser`'s and the levels and kinds."""
    parser = study_parser(doc, NAME, frozen=('c5', ))
    parser.add_argument('--levels', nargs='+', default=[], metavar='KIND=L1,L2',
                        help=f'levels of some kinds (kinds: {", ".join(KINDS)}; default per scale: {LEVELS})')
    parser.add_argument('--kinds', nargs='+', choices=sorted(KINDS), default=list(KINDS), help='kinds to run')
    return parser


def build(args) -> Study:
    config = package_path('configs', CONFIGS[args.scale])
    levels = dict(LEVELS[args.scale], **parse_levels(args.levels))
    base = pretraining_options(config, miniature_iters(args), frames_root(args))
    pretrainings = variants(config, {k: levels[k] for k in args.kinds}, BLOB_RADIUS[args.scale], base)
    return Study(NAME, HEADING, f'{args.scale} ({CONFIGS[args.scale]})', pretrainings, transfer_plan(args),
                 plot, describe)
