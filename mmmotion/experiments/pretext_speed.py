"""The bare training step of the self-supervised pretexts next to MotionMask's, at equal batch and input
size; written to docs/benchmarks.md (the target: at most 1.2x MotionMask's step time).

    python tools/analysis_tools/benchmark_pretexts.py --data-root DATASET_DIR \
        [--configs C1 C2 ...] [--reference MOTIONMASK_CONFIG] [--inputs 32] [--iters 5] [--warmup 2] \
        [--rounds 3] [--out docs/benchmarks.md]

Equal batch means the same number of backbone inputs per step (``--inputs``), each of the same size:
MotionMask's batch is ``inputs`` crops; a pretext whose sample has V views (RotationPred: 4 rotations,
RelativeLoc: 2 patches of a pair, SimCLR: 2 views) gets ``inputs / V`` samples. The batch is one real
batch of each config's own pipeline, made once and reused, so only the step (data preprocessor,
forward, backward, optimizer) is timed. The configs are timed in turn, ``--rounds`` times (every other
round in reverse order), and each ratio is taken within a round, so load that changes during the run
affects both sides of a ratio alike.
"""
import argparse
import os.path as osp
import shlex
import statistics
import sys
from typing import Dict, List, Optional

import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import FUNCTIONS

from .motionmask_speed import time_steps, torch_machine
from mmmotion.engine.runs import machine_load, run_conditions
from mmmotion.datasets.builder import build_train_dataset
from mmmotion.datasets.transforms.formatting import views_of
from mmmotion.registry import MODELS
from mmmotion.utils import register_all_modules
from mmmotion.utils.markdown import replace_section

SECTION = '## Pretext training step vs MotionMask'
TARGET = 1.2
REFERENCE = 'configs/motionmask/motionmask_alexnet_8xb32-80k_unlc.py'
PRETEXTS = [f'configs/selfsup/{name}/{name}_alexnet_8xb32-80k_unlc.py'
            for name in ('rotationpred', 'relativeloc', 'simclr')]


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Bare training step of pretexts vs MotionMask')
    parser.add_argument('--data-root', required=True, help='a uNLC dataset folder')
    parser.add_argument('--configs', nargs='+', default=PRETEXTS, help='pretext configs')
    parser.add_argument('--reference', default=REFERENCE, help='the MotionMask config they are compared with')
    parser.add_argument('--inputs', type=int, default=32, help='backbone inputs per step (the equal batch)')
    parser.add_argument('--iters', type=int, default=5, help='timed steps per measurement')
    parser.add_argument('--warmup', type=int, default=2, help='untimed steps before the first measurement')
    parser.add_argument('--rounds', type=int, default=3, help='measurements of each config, in turn')
    parser.add_argument('--out', default='docs/benchmarks.md', help="markdown file ('' to skip)")
    return parser.parse_args(argv)


def fixed_batch(cfg: Config, data_root: str, inputs: int) -> dict:
    """One collated batch of the config's training pipeline with ``inputs`` backbone inputs in all, and
    its description: ``views`` per sample, ``samples``, ``size`` (H x W of the inputs)."""
    dataset = build_train_dataset(cfg, {'train_dataloader.dataset.data_root': data_root})
    first = views_of(dataset[0]['inputs'])
    sizes = {tuple(view.shape[-2:]) for view in first}
    if len(sizes) != 1:
        raise ValueError(f'the views of a sample differ in size: {sorted(sizes)}')
    if inputs % len(first):
        raise ValueError(f'--inputs {inputs} is not a multiple of the {len(first)} views per sample')
    samples = inputs // len(first)
    collate = FUNCTIONS.get(cfg.train_dataloader.get('collate_fn', {}).get('type', 'pseudo_collate'))
    batch = collate([dataset[i % len(dataset)] for i in range(samples)])
    return dict(batch=batch, views=len(first), samples=samples, size=sizes.pop())


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    command = shlex.join(sys.argv[1:] if argv is None else argv)
    register_all_modules(init_default_scope=True)
    load_at_start = machine_load()
    runs: Dict[str, dict] = {}
    for config in [args.reference, *args.configs]:  # the batches first: a bad setting fails before any model
        cfg = Config.fromfile(config)
        runs[config] = dict(fixed_batch(cfg, args.data_root, args.inputs), cfg=cfg, ms=[])
    sizes = {run['size'] for run in runs.values()}
    if len(sizes) != 1:
        raise ValueError(f'the configs feed inputs of different sizes: {sizes}; the comparison needs one')
    for run in runs.values():
        torch.manual_seed(0)
        run['model'] = MODELS.build(run['cfg'].model)
        run['model'].init_weights()
        run['optim'] = build_optim_wrapper(run['model'], run['cfg'].optim_wrapper)
    for index in range(args.rounds):
        # every other round in reverse order, so a load that grows or falls during the run weighs on all alike
        for config, run in (list(runs.items()) if index % 2 == 0 else list(runs.items())[::-1]):
            steps_per_s = time_steps(run['model'], run['optim'], iter(lambda: run['batch'], None), args.iters,
                                     args.warmup if index == 0 else 0, count=lambda batch: 1)
            run['ms'].append(1000 / steps_per_s)
            print(f'round {index + 1}: {config}: {run["ms"][-1]:.0f} ms per step', flush=True)
    reference = runs[args.reference]
    rows = []
    for config, run in runs.items():
        ratios = [ms / ref for ms, ref in zip(run['ms'], reference['ms'])]
        ratio = statistics.median(ratios)
        verdict = '' if run is reference else (
            ' (met)' if ratio <= TARGET else f' (missed by {ratio / TARGET - 1:.0%})')
        params = sum(p.numel() for p in run['model'].parameters() if p.requires_grad) / 1e6
        rows.append(f'| `{osp.relpath(config)}` | {run["samples"]} x {run["views"]} | {params:.1f} | '
                    f'{statistics.median(run["ms"]):.0f} ({" / ".join(f"{ms:.0f}" for ms in run["ms"])}) | '
                    f'{1000 * args.inputs / statistics.median(run["ms"]):.1f} | **{ratio:.2f}**{verdict} |')
    height, width = sizes.pop()
    text = (f'{SECTION}\n\n'
            f'The bare training step (data preprocessor, forward, backward, optimizer step; one real batch of '
            f"each config's own pipeline, made once and reused) of each pretext next to MotionMask's, at equal "
            f'batch and input size: every step puts **{args.inputs} backbone inputs of {height}x{width} px** '
            f'through AlexNet, so a pretext whose sample has V views (RotationPred: 4 rotations of a crop; '
            f'RelativeLoc: the 2 patches of a pair; SimCLR: 2 views) gets {args.inputs} / V samples. '
            f'Target: a step at most {TARGET}x MotionMask\'s. Each config is timed {args.rounds} times, in turn, '
            f'every other round in reverse order ({args.iters} steps each, after {args.warmup} warm-up steps); '
            f'the ratio is the median of the per-round ratios. Measured by '
            f'`tools/analysis_tools/benchmark_pretexts.py` on '
            f'{torch_machine()}; {run_conditions(load_at_start, machine_load())}.\n\n'
            f'| config | samples x views per step | trained parameters (M) | ms per step, median (per round) | '
            f'backbone inputs/s | step time / MotionMask\'s |\n|---|---|---|---|---|---|\n' + '\n'.join(rows) + '\n\n'
            f'Command: `python tools/analysis_tools/benchmark_pretexts.py {command}`\n\n')
    print(text)
    if args.out:
        replace_section(args.out, SECTION, text)
        print(f'wrote the {SECTION[3:]} section of {args.out}')
