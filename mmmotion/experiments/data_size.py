"""Study 2, data size: pretrain on nested, seeded subsets of the training *videos* (12.5 / 25 / 50 / 100% by
default), transfer, and plot the transfer score against the number of videos (log axis).

The subsets are ``MotionMaskDataset``'s ``video_subset=dict(fraction, seed)`` (set by ``--cfg-options`` on the
uNLC config): with one seed, each larger fraction keeps every video of the smaller ones. Every pretraining runs
the same schedule, so the smaller sets are seen more often.
"""
from collections import defaultdict
from typing import Any, Dict, List, Sequence, Tuple

from mmmotion.datasets.builder import build_train_dataset
from mmmotion.utils import package_path
from mmmotion.utils.run_options import loader_dataset_keys, pretraining_options
from .report import mean_std
from .study import (Pretraining, Study, transfer_plan, frames_root, miniature_iters, plot_panels, scores, study_parser)

NAME = 'data_size'
HEADING = '## Study: data size'
CONFIGS = {'miniature': 'motionmask/motionmask_alexnet-bn_1xb8-100it_tiny.py',
           'full': 'motionmask/motionmask_alexnet_8xb32-80k_unlc.py'}
FRACTIONS = (0.125, 0.25, 0.5, 1.0)
LINE = 'MotionMask (uNLC)'


def subset_options(config: str, fraction: float, seed: int) -> Dict[str, Any]:
    """Options that keep a nested subset of ``fraction`` of the training videos (subset ``seed``)."""
    key = loader_dataset_keys(config)['train_dataloader']
    return {f'{key}.video_subset.fraction': fraction, f'{key}.video_subset.seed': seed}


def training_set(config: str, options: Dict[str, Any]) -> Tuple[int, int]:
    """(videos, frames) of the training set of ``config`` with ``options`` (its annotation file is read)."""
    dataset = build_train_dataset(config, options, with_pipeline=False)
    return len({dataset.get_data_info(i)['video_id'] for i in range(len(dataset))}), len(dataset)


def variants(config: str, fractions: Sequence[float], subset_seeds: Sequence[int],
             base: Dict[str, Any]) -> List[Pretraining]:
    """One pretraining per (subset seed, fraction), each with the number of videos and frames it trains on."""
    found = []
    for seed in subset_seeds:
        for fraction in sorted(fractions):
            options = {**base, **subset_options(config, fraction, seed)}
            videos, frames = training_set(config, options)
            found.append(Pretraining(f'videos-{100 * fraction:g}pct-s{seed}', config, options,
                                     dict(fraction=fraction, subset_seed=seed, videos=videos, frames=frames)))
    return found


def series(rows: Sequence[dict], pretrained: Sequence[dict]) -> Tuple[Dict[str, Dict[str, Dict[Any, List[float]]]],
                                                                      Dict[str, Dict[str, List[float]]]]:
    """Panels -> {LINE: {number of videos: values (fine-tuning and subset seeds)}}, and baselines (random)."""
    videos = {p['label']: p['meta']['videos'] for p in pretrained}
    own, baselines = scores(rows, list(videos))
    panels: Dict[str, Dict[str, Dict[Any, List[float]]]] = defaultdict(lambda: defaultdict(dict))
    for name, label, value in own:
        panels[name][LINE].setdefault(videos[label], []).append(value)
    return panels, baselines


def plot(rows: List[dict], pretrained: List[dict], path: str) -> None:
    panels, baselines = series(rows, pretrained)
    plot_panels(panels, path, xlabel='training videos', ylabel='score', logx=True, baselines=baselines,
                title='Transfer after pretraining on nested subsets of the videos')


def describe(rows: List[dict], pretrained: List[dict]) -> str:
    panels, baselines = series(rows, pretrained)
    lines = []
    for name, found in panels.items():
        points = found[LINE]
        lines.append(f'- {name}: ' + ', '.join(f'videos={n}: {mean_std(points[n])[0]:.1f}' for n in sorted(points))
                     + ''.join(f'; {label} {mean_std(v)[0]:.1f}' for label, v in baselines.get(name, {}).items()))
    sizes = sorted({(p['meta']['fraction'], p['meta']['videos'], p['meta']['frames']) for p in pretrained})
    listed = ', '.join(f'{100 * f:g}%: {v} videos / {n} frames' for f, v, n in sizes)
    return ('MotionMask pretrained on nested, seeded subsets of the training videos (`MotionMaskDataset` '
            f'`video_subset`; {listed}; subset seeds '
            f'{", ".join(sorted({str(p["meta"]["subset_seed"]) for p in pretrained}))}), every one with the same '
            'schedule, then fine-tuned. Mean transfer score (over fine-tuning and subset seeds):\n\n'
            + '\n'.join(lines))


def parser(doc: str):
    parser = study_parser(doc, NAME, frozen=('c5', ))
    parser.set_defaults(clips=32)
    parser.add_argument('--fractions', nargs='+', type=float, default=list(FRACTIONS),
                        help='fractions of the training videos')
    parser.add_argument('--subset-seeds', nargs='+', type=int, default=[0], help='seeds of the nested subsets')
    return parser


def build(args) -> Study:
    config = package_path('configs', CONFIGS[args.scale])
    base = pretraining_options(config, miniature_iters(args), frames_root(args))
    return Study(NAME, HEADING, f'{args.scale} ({CONFIGS[args.scale]})',
                 variants(config, args.fractions, args.subset_seeds, base), transfer_plan(args), plot, describe)
