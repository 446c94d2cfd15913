"""Training throughput of MotionMask: the full pipeline (data loading + step) next to the bare model
step on random tensors, measured in one run, as a ratio; written to docs/benchmarks.md.

    python tools/analysis_tools/benchmark_motionmask.py CONFIG --data-root DATASET_DIR \
        [--iters 20] [--warmup 3] [--num-workers N [N ...]] [--batch-size B] [--out docs/benchmarks.md] \
        [--device cuda] [--amp {none,bf16,fp16} ...] [--memory-format {contiguous,channels_last} ...] \
        [--json RESULTS.json]
    python tools/analysis_tools/benchmark_motionmask.py --from-json RESULTS.json [--out docs/benchmarks.md]

A ratio near 1 means the data pipeline keeps up with the model (the target is >= 0.8). Each combination of
``--amp`` and ``--memory-format`` is a setting; with several settings or worker counts, every setting is
timed with every worker count, on the same loaders, and the section is a table of them. A run off CPU
writes its own section (``## MotionMask on CUDA``); ``--json`` keeps the numbers and the section, which
``--from-json`` writes into a markdown file later (a run on a machine whose copy of the docs is thrown away).
"""
import argparse
import copy
import itertools
import json
import os.path as osp
import shlex
import sys
import time
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.runner import Runner
from mmengine.structures import BaseDataElement, PixelData
from mmengine.utils.dl_utils import set_multi_processing

from mmmotion.engine.runs import machine_description, machine_load, run_conditions
from mmmotion.registry import MODELS
from mmmotion.utils import register_all_modules
from mmmotion.utils.markdown import replace_section

SECTION = '## MotionMask'
AMP_DTYPES = {'none': None, 'bf16': 'bfloat16', 'fp16': 'float16'}  # --amp: AmpOptimWrapper's dtype
MEMORY_FORMATS = ('contiguous', 'channels_last')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='MotionMask training throughput')
    parser.add_argument('config', nargs='?')
    parser.add_argument('--data-root', help='a uNLC dataset folder (required unless --from-json)')
    parser.add_argument('--iters', type=int, default=20, help='timed iterations per measurement')
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--batch-size', type=int, help='default: the config\'s')
    parser.add_argument('--num-workers', type=int, nargs='+',
                        help='default: the config\'s; several: the full pipeline is timed with each')
    parser.add_argument('--out', default='docs/benchmarks.md', help="markdown file ('' to skip)")
    parser.add_argument('--json', help='also write the settings, numbers and section text to this JSON file')
    parser.add_argument('--from-json', help='measure nothing: write the section kept in this --json file into --out')
    device = parser.add_argument_group('device and precision')
    device.add_argument('--device', default='cpu', help='torch device of the model: cpu, cuda, cuda:1, ...')
    device.add_argument('--amp', nargs='+', choices=list(AMP_DTYPES), default=['none'],
                        help="mixed precision by mmengine's AmpOptimWrapper (autocast to bf16 or fp16, with "
                             "dynamic loss scaling; it needs CUDA); several: each is a setting")
    device.add_argument('--memory-format', nargs='+', choices=MEMORY_FORMATS,
                        help='of the model (channels_last: NHWC weights, so convolutions run NHWC); several: '
                             'each is a setting')
    device.add_argument('--channels-last', dest='memory_format', action='store_const', const=['channels_last'],
                        help='short for --memory-format channels_last')
    parser.set_defaults(memory_format=['contiguous'])
    args = parser.parse_args(argv)
    if not args.from_json and (args.config is None or args.data_root is None):
        parser.error('CONFIG and --data-root are needed to measure (only --from-json works without them)')
    if any(AMP_DTYPES[amp] for amp in args.amp) and torch.device(args.device).type != 'cuda':
        parser.error(f"--amp {' '.join(args.amp)} needs --device cuda: mmengine's AmpOptimWrapper runs on GPUs only")
    return args


def random_batch(batch_size: int, crop: int, mask: int) -> Dict[str, List]:
    inputs = [torch.randint(0, 256, (3, crop, crop), dtype=torch.uint8) for _ in range(batch_size)]
    samples = []
    for _ in range(batch_size):
        sample = BaseDataElement()
        sample.gt_mask = PixelData(data=torch.randint(0, 2, (1, mask, mask)))
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def time_steps(model, optim_wrapper, batches, iters: int, warmup: int,
               count: Callable[[dict], int] = lambda batch: len(batch['inputs'])) -> float:
    """Images/s over ``iters`` train steps after ``warmup`` (``batches`` yields batches; ``count`` gives
    a batch's number of images)."""
    for _ in range(warmup):
        model.train_step(next(batches), optim_wrapper)
    synchronize(model)
    n_images, start = 0, time.perf_counter()
    for _ in range(iters):
        batch = next(batches)
        model.train_step(batch, optim_wrapper)
        n_images += count(batch)
    synchronize(model)
    return n_images / (time.perf_counter() - start)


def synchronize(model: torch.nn.Module) -> None:
    """Wait for the model's device, so that a host clock times the work queued on it (CUDA runs asynchronously)."""
    device = next(model.parameters()).device
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def torch_machine() -> str:
    """The machine (:func:`~mmmotion.engine.runs.machine_description`), torch's threads and the device."""
    return (f'{machine_description(("torch", ))} ({torch.get_num_threads()} threads), '
            f'{"CUDA " + torch.cuda.get_device_name() if torch.cuda.is_available() else "CPU"}')


def image_size(dataset) -> str:
    info = dataset.get_data_info(0)
    return f'{info.get("width", "?")}x{info.get("height", "?")}'


Setting = Tuple[str, str]  # (--amp, --memory-format)


def setting_name(setting: Setting) -> str:
    amp, memory_format = setting
    return f'{"fp32" if AMP_DTYPES[amp] is None else "AMP " + amp}, {memory_format}'


def build_setting(cfg: Config, setting: Setting, device: torch.device) -> Tuple[torch.nn.Module, Any]:
    """The config's model (seed 0) on ``device`` in the setting's memory format, and its optimizer wrapper:
    the config's, or mmengine's ``AmpOptimWrapper`` with the same optimizer for AMP."""
    amp, memory_format = setting
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.to(device)
    if memory_format == 'channels_last':
        model.to(memory_format=torch.channels_last)
    optim_cfg = copy.deepcopy(cfg.optim_wrapper)
    if AMP_DTYPES[amp] is not None:
        optim_cfg.update(type='AmpOptimWrapper', dtype=AMP_DTYPES[amp])
    return model, build_optim_wrapper(model, optim_cfg)


def endless(loader) -> Iterator[dict]:
    while True:
        yield from loader


def rate(images_per_s: float) -> str:
    return f'{images_per_s:.0f}' if images_per_s >= 100 else f'{images_per_s:.2f}'


def measurement_text(heading: str, config: str, batch_size: int, worker_counts: List[int], iters: int,
                     warmup: int, data: str, machine: str, conditions: str, results: List[Dict[str, Any]],
                     command: str) -> str:
    """The section: one setting and one worker count as a list of measurements, else a table of settings."""
    intro = (f'Training throughput of `{config}` (batch {batch_size}, '
             f'{" / ".join(map(str, worker_counts))} data workers, {iters} timed iterations after {warmup} '
             f'warm-up ones{" in each measurement" if len(results) * len(worker_counts) > 1 else ""} (for the '
             f'full pipeline at least workers x prefetch factor, the batches made before the first step); {data}), '
             f'measured by `tools/analysis_tools/benchmark_motionmask.py` on {machine}; {conditions}.')
    if len(results) == 1 and len(worker_counts) == 1:
        result = results[0]
        full, (bare_a, bare_b) = result['full'][str(worker_counts[0])], result['bare']
        bare = (bare_a + bare_b) / 2
        table = (f'The bare step is timed before and after the full pipeline; their mean is the reference.\n\n'
                 f'| measurement | images/s |\n|---|---|\n'
                 f'| full pipeline (data loading + train step) | {full:.2f} |\n'
                 f'| bare train step on random tensors (before / after) | {bare:.2f} '
                 f'({bare_a:.2f} / {bare_b:.2f}) |\n'
                 f'| **ratio full / bare** | **{full / bare:.2f}** |')
    else:
        counts = ' / '.join(map(str, worker_counts))
        rows = []
        for result in results:
            bare_a, bare_b = result['bare']
            bare = (bare_a + bare_b) / 2
            fulls = [result['full'][str(n)] for n in worker_counts]
            rows.append(f'| {result["setting"]} | {rate(bare)} ({rate(bare_a)} / {rate(bare_b)}) | '
                        f'{" / ".join(rate(v) for v in fulls)} | '
                        f'{" / ".join(f"{v / bare:.2f}" for v in fulls)} |')
        table = (f'Each setting\'s bare step (random tensors, no data loading) is timed before and after all '
                 f'the full-pipeline runs, on the same loaders for every setting; the mean of the two is the '
                 f'reference. AMP is mmengine\'s `AmpOptimWrapper` (autocast, dynamic loss scaling); '
                 f'channels_last is the model\'s memory format.\n\n'
                 f'| setting | bare step, images/s (before / after) | full pipeline, images/s '
                 f'({counts} workers) | ratio full / bare ({counts} workers) |\n|---|---|---|---|\n'
                 + '\n'.join(rows))
    return f'{heading}\n\n{intro} {table}\n\nCommand: `{command}`\n\n'


def write_section(out: str, record: Dict[str, Any]) -> None:
    replace_section(out, record['heading'], record['text'])
    print(f'wrote the {record["heading"][3:]} section of {out}')


def main() -> None:
    args = parse_args()
    if args.from_json:
        with open(args.from_json) as f:
            write_section(args.out or 'docs/benchmarks.md', json.load(f))
        return
    register_all_modules(init_default_scope=True)
    cfg = Config.fromfile(args.config)
    loader_cfg = cfg.train_dataloader
    loader_cfg.dataset.data_root = args.data_root
    if args.batch_size:
        loader_cfg.batch_size = args.batch_size
    batch_size = loader_cfg.batch_size
    worker_counts = args.num_workers or [loader_cfg.num_workers]
    crop, mask = 227, cfg.model.head.get('mask_size', 56)
    device = torch.device(args.device)
    if device.type == 'cuda':  # as training sets it (mmengine's env_cfg)
        torch.backends.cudnn.benchmark = bool(cfg.get('env_cfg', {}).get('cudnn_benchmark', False))
    settings = list(itertools.product(args.amp, args.memory_format))
    # as training sets them (mmengine's Runner): OpenCV's threads, OMP/MKL threads, the workers' start method
    set_multi_processing(**cfg.get('env_cfg', {}).get('mp_cfg', {}))

    load_at_start = machine_load()
    built = {setting: build_setting(cfg, setting, device) for setting in settings}
    fixed = random_batch(batch_size, crop, mask)
    bare_before = {s: time_steps(*built[s], iter(lambda: fixed, None), args.iters, args.warmup) for s in settings}
    full: Dict[Setting, Dict[str, float]] = {s: {} for s in settings}
    for workers in worker_counts:
        loader = Runner.build_dataloader(
            dict(copy.deepcopy(loader_cfg), num_workers=workers, persistent_workers=workers > 0), seed=0)
        batches = endless(loader)
        # at least the batches the workers make before the first step: used up before the clock starts
        warmup = max(args.warmup, workers * (loader.prefetch_factor or 0))
        for setting in settings:
            full[setting][str(workers)] = time_steps(*built[setting], batches, args.iters, warmup)
        data = (f'{len(loader.dataset)} training images of {image_size(loader.dataset)} px, as written by '
                f'the uNLC generator')
        batches.close()
        del batches, loader  # its workers end here, before the next count's start
    # before and after: other load on the machine shows as a spread
    bare_after = {s: time_steps(*built[s], iter(lambda: fixed, None), args.iters, 0) for s in settings}

    machine = torch_machine()
    if device.type == 'cuda':
        machine += f' (CUDA {torch.version.cuda}, cuDNN {torch.backends.cudnn.version()})'
    results = [dict(setting=setting_name(s), amp=s[0], memory_format=s[1], bare=[bare_before[s], bare_after[s]],
                    full=full[s]) for s in settings]
    heading = SECTION if device.type == 'cpu' else f'{SECTION} on {device.type.upper()}'
    command = f'python tools/analysis_tools/benchmark_motionmask.py {shlex.join(sys.argv[1:])}'
    conditions = run_conditions(load_at_start, machine_load())
    text = measurement_text(heading, osp.relpath(args.config), batch_size, worker_counts, args.iters, args.warmup,
                            data, machine, conditions, results, command)
    print(text)
    record = dict(heading=heading, text=text, config=osp.relpath(args.config), device=str(device), machine=machine,
                  torch=torch.__version__, batch_size=batch_size, worker_counts=worker_counts, iters=args.iters,
                  warmup=args.warmup, data=data, conditions=conditions, command=command, results=results)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(record, f, indent=1)
    if args.out:
        write_section(args.out, record)
