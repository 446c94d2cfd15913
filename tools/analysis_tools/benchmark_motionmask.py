"""Training throughput of MotionMask: the full pipeline (data loading + step) next to the bare model
step on random tensors, measured in one run, as a ratio; written to docs/benchmarks.md.

    python tools/analysis_tools/benchmark_motionmask.py CONFIG --data-root DATASET_DIR \
        [--iters 20] [--warmup 3] [--num-workers N] [--batch-size B] [--out docs/benchmarks.md]

A ratio near 1 means the data pipeline keeps up with the model (the target is >= 0.8).
"""
import argparse
import os
import os.path as osp
import platform
import shlex
import sys
import time
from typing import Dict, List

import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.runner import Runner
from mmengine.structures import BaseDataElement, PixelData

from mmmotion.evaluation.run_record import machine_load, run_conditions
from mmmotion.registry import MODELS
from mmmotion.utils import register_all_modules
from mmmotion.utils.markdown import replace_section

SECTION = '## MotionMask'


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='MotionMask training throughput')
    parser.add_argument('config')
    parser.add_argument('--data-root', required=True, help='a uNLC dataset folder')
    parser.add_argument('--iters', type=int, default=20, help='timed iterations per measurement')
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--batch-size', type=int, help='default: the config\'s')
    parser.add_argument('--num-workers', type=int, help='default: the config\'s')
    parser.add_argument('--out', default='docs/benchmarks.md', help="markdown file ('' to skip)")
    return parser.parse_args()


def random_batch(batch_size: int, crop: int, mask: int) -> Dict[str, List]:
    inputs = [torch.randint(0, 256, (3, crop, crop), dtype=torch.uint8) for _ in range(batch_size)]
    samples = []
    for _ in range(batch_size):
        sample = BaseDataElement()
        sample.gt_mask = PixelData(data=torch.randint(0, 2, (1, mask, mask)))
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def time_steps(model, optim_wrapper, batches, iters: int, warmup: int) -> float:
    """Images/s over ``iters`` train steps after ``warmup`` (``batches`` yields batches)."""
    for _ in range(warmup):
        model.train_step(next(batches), optim_wrapper)
    n_images, start = 0, time.perf_counter()
    for _ in range(iters):
        batch = next(batches)
        model.train_step(batch, optim_wrapper)
        n_images += len(batch['inputs'])
    return n_images / (time.perf_counter() - start)


def image_size(dataset) -> str:
    info = dataset.get_data_info(0)
    return f'{info.get("width", "?")}x{info.get("height", "?")}'


def main() -> None:
    args = parse_args()
    register_all_modules(init_default_scope=True)
    cfg = Config.fromfile(args.config)
    loader_cfg = cfg.train_dataloader
    loader_cfg.dataset.data_root = args.data_root
    if args.batch_size:
        loader_cfg.batch_size = args.batch_size
    if args.num_workers is not None:
        loader_cfg.num_workers = args.num_workers
        loader_cfg.persistent_workers = args.num_workers > 0
    batch_size, workers = loader_cfg.batch_size, loader_cfg.num_workers
    crop, mask = 227, cfg.model.head.get('mask_size', 56)

    load_at_start = machine_load()
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    loader = Runner.build_dataloader(loader_cfg, seed=0)

    def loader_batches():
        while True:
            yield from loader

    fixed = random_batch(batch_size, crop, mask)
    bare_a = time_steps(model, optim_wrapper, iter(lambda: fixed, None), args.iters, args.warmup)
    full = time_steps(model, optim_wrapper, loader_batches(), args.iters, args.warmup)
    bare_b = time_steps(model, optim_wrapper, iter(lambda: fixed, None), args.iters, 0)
    bare = (bare_a + bare_b) / 2  # before and after: other load on the machine shows as a spread
    ratio = full / bare

    machine = (f'{platform.processor() or platform.machine()}, {os.cpu_count()} CPU cores, '
               f'torch {torch.__version__} ({torch.get_num_threads()} threads), '
               f'{"CUDA " + torch.cuda.get_device_name() if torch.cuda.is_available() else "CPU"}')
    text = (f'{SECTION}\n\n'
            f'Training throughput of `{osp.relpath(args.config)}` (batch {batch_size}, '
            f'{workers} data workers, {args.iters} timed iterations after {args.warmup} warm-up ones; '
            f'{len(loader.dataset)} training images of {image_size(loader.dataset)} px, as written by '
            f'the uNLC generator), '
            f'measured by `tools/analysis_tools/benchmark_motionmask.py` on {machine}; '
            f'{run_conditions(load_at_start, machine_load())}. The bare step '
            f'is timed before and after the full pipeline; their mean is the reference.\n\n'
            f'| measurement | images/s |\n|---|---|\n'
            f'| full pipeline (data loading + train step) | {full:.2f} |\n'
            f'| bare train step on random tensors (before / after) | {bare:.2f} '
            f'({bare_a:.2f} / {bare_b:.2f}) |\n'
            f'| **ratio full / bare** | **{ratio:.2f}** |\n\n'
            f'Command: `python tools/analysis_tools/benchmark_motionmask.py {shlex.join(sys.argv[1:])}`\n\n')
    print(text)
    if args.out:
        replace_section(args.out, SECTION, text)
        print(f'wrote the {SECTION[3:]} section of {args.out}')


if __name__ == '__main__':
    main()
