"""Benchmark uNLC: per-stage time and peak memory, frames/s, on a clip of 30 and 120 frames.

Each clip length runs in a fresh subprocess (so its peak RSS is its own): once untraced for the
timings, once under ``tracemalloc`` for the per-stage peak of memory allocated by Python/NumPy
(OpenCV's and faiss's internal buffers are not traced; the process's peak RSS covers them).
``--reference-style`` also times the reference implementation's way of doing the stages mmmotion
changed (a Python loop over regions for descriptors, a dense k x k transition matrix for voting)
on the same superpixels, to show the speed-up. Results go to the ``## uNLC`` section of
``docs/benchmarks.md`` (created or replaced).

Usage::

    python tools/analysis_tools/benchmark_unlc.py [--input VIDEO_OR_DIR] [--frames 30 120]
        [--config configs/unlc/default.py] [--reference-style] [--no-write] [--section TITLE]
    # real 854x480 frames: a sequence folder of a DAVIS-layout root
    python tools/analysis_tools/benchmark_unlc.py \
        --input ../shared/data/davis16_dev/JPEGImages/480p/dog --frames 60 --repeat 1 \
        --config configs/unlc/reference.py --section "uNLC speed: reference.py, DAVIS 854x480"
    # speed and quality together: s/frame and core-s/frame (per stage and whole process) on a clip and J on
    # the dev clips, for several configs in one run (mmmotion.experiments.unlc_speed)
    python tools/analysis_tools/benchmark_unlc.py --compare default=configs/unlc/default.py \
        fast=configs/unlc/fast.py --input ../shared/data/davis16_dev/JPEGImages/480p/dog --frames 60 \
        --davis-root ../shared/data/davis16_dev \
        --fold A=blackswan,car-shadow,dog,kite-surf,parkour B=breakdance,cows,drift-straight,libby,scooter-black
"""
import argparse
import json
import os
import resource
import shlex
import subprocess
import sys
import time
import tracemalloc

import numpy as np

from mmmotion.unlc import UNLC
from mmmotion.utils.config import add_cfg_options

STAGES = UNLC.STAGES


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument(
        '--input',
        default=None,
        help='video file or frame folder (default: a synthetic 320x240 clip)')
    parser.add_argument(
        '--frames',
        type=int,
        nargs='+',
        default=[30, 120],
        help='clip lengths to run (default: 30 120)')
    parser.add_argument('--height', type=int, default=240, help='synthetic clip height')
    parser.add_argument('--width', type=int, default=320, help='synthetic clip width')
    parser.add_argument(
        '--config', default=None, help='uNLC config (default: configs/unlc/default.py)')
    add_cfg_options(parser, 'override keys of the uNLC config\'s unlc dict, e.g. max_side=480 (not with --compare: '
                    'give each compared config a file of its own)')
    parser.add_argument(
        '--repeat',
        type=int,
        default=3,
        help='timed runs per length; the fastest is reported (default 3)')
    parser.add_argument(
        '--reference-style',
        action='store_true',
        help='also time reference-style descriptors and dense voting (first length)')
    parser.add_argument('--output', default='docs/benchmarks.md', help='markdown file to update')
    parser.add_argument('--no-write', action='store_true', help='print only')
    parser.add_argument(
        '--section',
        default='uNLC',
        help='title of the docs/benchmarks.md section written (created or replaced)')
    parser.add_argument(
        '--compare',
        nargs='+',
        default=None,
        metavar='LABEL=CONFIG',
        help='measure these configs for speed (whole call and per stage, s/frame and core-s/frame) on the first '
        '--frames of --input and, with --davis-root, for J and whole-process speed on the dev clips; writes the '
        'section "uNLC speed: default and fast, s/frame and core-s/frame" unless --section is given')
    parser.add_argument('--davis-root', default=None, help='with --compare: DAVIS-layout dev clips for J')
    parser.add_argument('--fold', nargs='+', default=[], metavar='NAME=SEQ,SEQ',
                        help='with --compare: the dev sequences, in folds whose mean J is reported')
    parser.add_argument('--worker', type=int, default=None, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def load_clip(args, n_frames: int) -> np.ndarray:
    if args.input:
        from mmmotion.utils.video_io import read_frames
        frames = read_frames(args.input, max_frames=n_frames)
        if len(frames) < n_frames:  # loop a short video to the requested length
            frames = np.concatenate([frames] * (n_frames // len(frames) + 1))[:n_frames]
        return frames
    from mmmotion.testing.synthetic import make_synthetic_clip
    return make_synthetic_clip(n_frames, args.height, args.width, pan=(0.5, 1.5), seed=0).frames


def reference_style_stages(unlc, frames: np.ndarray) -> dict:
    """Time the reference's approach to descriptors (a loop over regions calling
    ``skimage.feature.hog`` and ``np.histogram`` on each patch) and to voting (a dense float64
    transition matrix), on this clip's superpixels. Written for this comparison only."""
    import cv2
    from skimage.color import rgb2lab
    from skimage.feature import hog

    from mmmotion.unlc.descriptors import region_box_centres
    from mmmotion.unlc.graph import knn_transition_matrix
    from mmmotion.utils.fileio import resize_longest_side
    from mmmotion.unlc.voting import frame_offsets_of, normalise_per_frame
    frames = resize_longest_side(frames, unlc.max_side)
    labels = np.stack([unlc.superpixels(f) for f in frames])
    start = time.perf_counter()
    descriptors = []
    for frame, frame_labels in zip(frames, labels):
        h, w = frame_labels.shape
        for cy, cx in region_box_centres(frame_labels):
            y0 = int(np.clip(cy - 7, 0, h - 15))
            x0 = int(np.clip(cx - 7, 0, w - 15))
            patch = frame[y0:y0 + 15, x0:x0 + 15]
            parts = [
                hog(cv2.cvtColor(patch, cv2.COLOR_RGB2GRAY),
                    orientations=6,
                    pixels_per_cell=(5, 5),
                    cells_per_block=(3, 3))
            ]
            lab = rgb2lab(patch)
            for c in range(3):
                parts.append(np.histogram(patch[..., c], 20, (0, 255))[0] / patch[..., c].size)
            for c, rng in zip(range(3), ((0, 100), (-128, 127), (-128, 127))):
                parts.append(np.histogram(lab[..., c], 20, rng)[0] / lab[..., c].size)
            parts.append([cy / h, cx / w])
            descriptors.append(np.concatenate(parts))
    descriptor_seconds = time.perf_counter() - start
    descriptors = np.asarray(descriptors, np.float32)
    offsets = frame_offsets_of(labels)
    sparse_matrix = knn_transition_matrix(descriptors, offsets, unlc.nn_searcher,
                                          **unlc.graph_kwargs)
    n_regions = sparse_matrix.shape[0]
    from mmmotion.unlc.graph import KDTreeSearcher
    start = time.perf_counter()
    knn_transition_matrix(descriptors, offsets, KDTreeSearcher(), **unlc.graph_kwargs)
    kdtree_seconds = time.perf_counter() - start
    start = time.perf_counter()
    dense = sparse_matrix.toarray().astype(np.float64)  # the reference's k x k matrix
    votes = np.random.default_rng(0).random(n_regions)
    for _ in range(unlc.n_iters):
        votes = normalise_per_frame(dense @ votes, offsets)
    dense_seconds = time.perf_counter() - start
    start = time.perf_counter()
    votes = np.random.default_rng(0).random(n_regions).astype(np.float32)
    for _ in range(unlc.n_iters):
        votes = normalise_per_frame(sparse_matrix @ votes, offsets)
    sparse_seconds = time.perf_counter() - start
    return dict(
        n_regions=n_regions,
        loop_descriptor_s=descriptor_seconds,
        kdtree_graph_s=kdtree_seconds,
        dense_voting_s=dense_seconds,
        sparse_voting_s=sparse_seconds,
        dense_matrix_bytes=n_regions**2 * 8,
        sparse_matrix_bytes=int(sparse_matrix.data.nbytes + sparse_matrix.indices.nbytes +
                                sparse_matrix.indptr.nbytes))


def worker(args) -> dict:
    """Run uNLC on one clip length: timings untraced, then memory traced."""
    from mmmotion.apis.segment import build_unlc
    frames = load_clip(args, args.worker)
    unlc = build_unlc(args.config, args.cfg_options)
    unlc(frames[:2])  # warm-up: imports, OpenCV/faiss initialisation
    with open('/proc/self/statm') as f:
        baseline_rss = int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')
    total, timings = float('inf'), {}
    for _ in range(max(1, args.repeat)):  # keep the fastest run: the least disturbed by others
        start = time.perf_counter()
        unlc(frames)
        seconds = time.perf_counter() - start
        if seconds < total:
            total, timings = seconds, dict(unlc.timings)
    tracemalloc.start()
    unlc(frames)
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    result = dict(
        n_frames=len(frames),
        height=frames.shape[1],
        width=frames.shape[2],
        total_s=total,
        timings=timings,
        settings=describe_unlc(unlc),
        peak_memory=dict(unlc.peak_memory),
        traced_peak_bytes=traced_peak,
        used_motion=bool(unlc.used_motion),
        peak_rss_bytes=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        baseline_rss_bytes=baseline_rss)
    if args.reference_style:
        result['reference_style'] = reference_style_stages(unlc, frames)
    return result


def describe_unlc(unlc) -> str:
    """The settings of a built UNLC that decide its speed, read off the object itself."""
    def name(module):
        return type(module).__name__
    camera = unlc.motion_kwargs.get('camera_model')
    flow_frames = (f'{unlc.flow_size} px, aspect kept' if unlc.flow_keep_aspect else
                   f'{unlc.flow_size}x{unlc.flow_size}')
    dominance = f'camera model {camera.get("model", "homography")}' if camera else 'histogram'
    return (f'max side {unlc.max_side}, {name(unlc.superpixels)}, '
            f'{name(unlc.descriptor)} (HOG {unlc.descriptor.kwargs.get("hog_block_norm")}), '
            f'{name(unlc.nn_searcher)} k-NN over +-{unlc.graph_kwargs["temporal_radius"]} frames x '
            f'{unlc.graph_kwargs["neighbours_per_frame"]}, {name(unlc.flow)} at {flow_frames}, '
            f'dominant motion by {dominance}, '
            f'{unlc.n_iters} voting iterations in {unlc.n_rounds} rounds (restart {unlc.voting_kwargs["restart"]}), '
            f'refiner {name(unlc.refiner)}')


def to_markdown(results, args, command: str, conditions: str) -> str:
    from mmmotion.engine.runs import machine_description
    from mmmotion.experiments import unlc_speed
    mib = 2**20
    clip = (f'`{args.input}` ({results[0]["width"]}x{results[0]["height"]})' if args.input else
            f'synthetic {args.width}x{args.height} clip (panning camera, one moving object)')
    lines = [
        f'## {args.section}', '',
        f'Machine: {machine_description(unlc_speed.UNLC_LIBRARIES)}. Conditions: {conditions} (a load above the '
        'run\'s own means other work shared the cores, and the times are upper bounds).', '',
        f'Command: `{command}`', '',
        f'Clip: {clip}; config: `{args.config or "configs/unlc/default.py"}` '
        f'({results[0]["settings"]}). '
        'Times are wall-clock after a warm-up, the fastest of `--repeat` runs; "traced" memory '
        'is NumPy/Python allocation above what the stage started with (tracemalloc); RSS is '
        'the whole process\'s peak above its size after imports and a warm-up.', '',
        '| frames | total (s) | s/frame | frames/s | peak traced (MiB) | '
        'peak traced per frame (MiB) | peak RSS above baseline (MiB) |',
        '|---:|---:|---:|---:|---:|---:|---:|'
    ]
    for r in results:
        lines.append(f'| {r["n_frames"]} | {r["total_s"]:.2f} | {r["total_s"] / r["n_frames"]:.3f} '
                     f'| {r["n_frames"] / r["total_s"]:.1f} | {r["traced_peak_bytes"] / mib:.0f} '
                     f'| {r["traced_peak_bytes"] / mib / r["n_frames"]:.2f} '
                     f'| {(r["peak_rss_bytes"] - r["baseline_rss_bytes"]) / mib:.0f} |')
    lines += [
        '', 'Per stage (seconds / peak traced MiB):', '',
        '| stage | ' + ' | '.join(f'{r["n_frames"]} frames' for r in results) + ' |',
        '|---|' + '---:|' * len(results)
    ]
    for stage in STAGES:
        if not any(stage in r['timings'] for r in results):
            continue
        cells = [
            f'{r["timings"].get(stage, 0):.2f} s / {r["peak_memory"].get(stage, 0) / mib:.0f} MiB'
            for r in results
        ]
        lines.append(f'| {stage} | ' + ' | '.join(cells) + ' |')
    ref = next((r for r in results if 'reference_style' in r), None)
    if ref:
        rs = ref['reference_style']
        stage = ref['timings']
        lines += [
            '', f'Reference-style stages on the same {ref["n_frames"]}-frame clip '
            f'({rs["n_regions"]} regions; the reference\'s C++ coarse-to-fine flow is not '
            'reproduced):', '', '| stage | reference style | mmmotion | speed-up |',
            '|---|---:|---:|---:|',
            f'| descriptors (loop over regions vs vectorised) | {rs["loop_descriptor_s"]:.2f} s '
            f'| {stage["descriptors"]:.2f} s '
            f'| {rs["loop_descriptor_s"] / stage["descriptors"]:.0f}x |',
            f'| k-NN graph (SciPy KD-tree vs faiss) | {rs["kdtree_graph_s"]:.2f} s '
            f'| {stage["graph"]:.2f} s | {rs["kdtree_graph_s"] / stage["graph"]:.1f}x |',
            f'| {ref.get("n_iters", 50)} voting iterations (dense vs sparse matrix) | '
            f'{rs["dense_voting_s"]:.2f} s | {rs["sparse_voting_s"]:.3f} s | '
            f'{rs["dense_voting_s"] / rs["sparse_voting_s"]:.0f}x |',
            f'| transition matrix memory | {rs["dense_matrix_bytes"] / mib:.0f} MiB '
            f'| {rs["sparse_matrix_bytes"] / mib:.1f} MiB | '
            f'{rs["dense_matrix_bytes"] / rs["sparse_matrix_bytes"]:.0f}x |'
        ]
        big = max(results, key=lambda r: r['n_frames'])
        if big is not ref:
            regions = rs['n_regions'] * big['n_frames'] / ref['n_frames']
            lines.append(f'\nAt {big["n_frames"]} frames the dense matrix would take about '
                         f'{regions**2 * 8 / 2**30:.1f} GiB.')
    return '\n'.join(lines) + '\n'


def worker_options(options) -> list:
    """The ``--cfg-options`` words that give a worker process the parsed ``options`` again."""
    if not options:
        return []
    from mmmotion.apis.train import cli_options
    return ['--cfg-options', *cli_options(options)]


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.worker is not None:
        print('RESULT ' + json.dumps(worker(args)))
        return 0
    command = 'python tools/analysis_tools/benchmark_unlc.py ' + shlex.join(
        argv if argv is not None else sys.argv[1:])
    if args.compare:
        if args.cfg_options:
            print('error: --cfg-options apply to --config, not to --compare\'s configs', file=sys.stderr)
            return 2
        if not args.input:
            print('error: --compare needs --input (a video or a frame folder)', file=sys.stderr)
            return 2
        from mmmotion.experiments.unlc_speed import run_benchmark
        heading = '## ' + (args.section if args.section != 'uNLC' else
                           'uNLC speed: default and fast, s/frame and core-s/frame')
        print(run_benchmark(dict(c.split('=', 1) for c in args.compare), args.input, args.frames[0],
                            args.davis_root, folds={k: v.split(',') for k, v in (f.split('=', 1) for f in args.fold)},
                            repeat=args.repeat, command=command.strip(),
                            output=None if args.no_write else args.output, heading=heading))
        return 0
    from mmmotion.engine.runs import machine_load, run_conditions
    from mmmotion.utils.markdown import replace_section
    results = []
    load = machine_load()
    for i, n in enumerate(args.frames):
        cmd = [sys.executable, '-m', __name__ if __name__ != '__main__' else 'mmmotion.experiments.unlc_benchmark',
               '--worker', str(n)]
        cmd += ['--height', str(args.height), '--width', str(args.width)]
        cmd += ['--repeat', str(args.repeat)]
        cmd += ['--input', args.input] if args.input else []
        cmd += ['--config', args.config] if args.config else []
        cmd += worker_options(args.cfg_options)
        cmd += ['--reference-style'] if args.reference_style and i == 0 else []
        print(f'running {n} frames ...', flush=True)
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return proc.returncode
        result = json.loads(proc.stdout.split('RESULT ', 1)[1])
        results.append(result)
        print(
            f'  {n} frames: {result["total_s"]:.2f} s ({result["total_s"] / n:.3f} s/frame), '
            f'traced peak {result["traced_peak_bytes"] / 2**20:.0f} MiB, '
            f'RSS +{(result["peak_rss_bytes"] - result["baseline_rss_bytes"]) / 2**20:.0f} MiB',
            flush=True)
    section = to_markdown(results, args, command.strip(), run_conditions(load, machine_load()))
    print(section)
    if not args.no_write:
        replace_section(args.output, f'## {args.section}', section.rstrip('\n') + '\n\n')
        print(f'updated {args.output}')
    return 0


if __name__ == '__main__':  # the per-clip-length worker processes run this module
    sys.exit(main())
