"""mmmotion's uNLC against the authors' code (``../shared/refunlc``) in the same run, one thread: seconds a frame
for the algorithm alone and for the whole process (interpreter start, imports, reading, writing masks), and J.

For every sequence the first ``--frames`` frames are segmented by the authors' runner (``run_ref.py --preset full
--max-side 600``, the NLC stage of their ``run_full.py``) and by each mmmotion config, one after the other, so that
every row of a sequence ran under the same load. Algorithm time: the authors' runner's own "NLC algorithm time";
mmmotion's the ``UNLC`` call on frames in memory after a two-frame warm-up. Whole process: a subprocess's wall
seconds (``run_ref.py`` / ``tools/unlc/segment_video.py``), with ``OMP_NUM_THREADS=1`` and, for mmmotion,
``threads=1``. Each mmmotion config runs at its own ``max_side`` on the sequence's frames as stored.

Usage::

    bash ../shared/refunlc/setup.sh /tmp/refunlc
    python tools/analysis_tools/benchmark_authors.py ../shared/data/davis16_dev --authors /tmp/refunlc \\
        --configs default=configs/unlc/default.py fast=configs/unlc/fast.py \\
        --sequences car-shadow dog blackswan [--frames 35] [--markdown OUT.md] [--json OUT.json]
"""
import argparse
import os
import os.path as osp
import re
import resource
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Optional, Sequence

import numpy as np

from mmmotion.evaluation.davis import evaluate_davis
from mmmotion.utils.fileio import atomic_write_json, atomic_write_text

# what both sides' subprocesses run with: one thread in OpenMP, OpenBLAS and MKL
ONE_THREAD_ENV = dict(OMP_NUM_THREADS='1', OPENBLAS_NUM_THREADS='1', MKL_NUM_THREADS='1')


def child_run(cmd: Sequence[str], env: Optional[Dict[str, str]] = None) -> Dict:
    """Run ``cmd`` to the end; its wall seconds, CPU seconds (user + system of the children it left) and stdout.
    A failing command raises RuntimeError with its stderr's tail."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(list(cmd), capture_output=True, text=True, env={**os.environ, **(env or {})})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f'{cmd[0]} {" ".join(cmd[1:3])} ... failed ({proc.returncode}): {proc.stderr[-2000:]}')
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return dict(wall_s=wall, cpu_s=cpu, stdout=proc.stdout)


def frames_dir_of(davis_root: str, name: str, resolution: str) -> str:
    """The frame folder of DAVIS sequence ``name``."""
    return osp.join(davis_root, 'JPEGImages', resolution, name)


def sequence_j(davis_root: str, pred_root: str, name: str, n_frames: int, resolution: str) -> float:
    """Mean J of ``pred_root/<name>/<stem>.png`` over the sequence's first ``n_frames`` annotated frames."""
    return evaluate_davis(davis_root, pred_root, [name], resolution, max_frames=n_frames)['J_mean']


def run_authors(davis_root: str, name: str, authors_dir: str, n_frames: int, max_side: int,
                resolution: str = '480p') -> Dict:
    """The authors' NLC stage on the first ``n_frames`` frames of sequence ``name``, one thread: s/frame of the
    algorithm (their runner's clock) and of the whole process, and J."""
    python = osp.join(authors_dir, 'venv', 'bin', 'python')
    with tempfile.TemporaryDirectory() as out:
        run = child_run([python, osp.join(authors_dir, 'run_ref.py'), frames_dir_of(davis_root, name, resolution),
                         osp.join(out, name), '--preset', 'full', '--max-side', str(max_side),
                         '--max-frames', str(n_frames)], env=ONE_THREAD_ENV)
        found = re.search(r'NLC algorithm time: ([\d.]+) s', run['stdout'])
        if found is None:
            raise RuntimeError(f'run_ref.py printed no "NLC algorithm time" for {name}')
        return dict(algorithm_s=float(found.group(1)) / n_frames, process_s=run['wall_s'] / n_frames,
                    process_cpu_s=run['cpu_s'] / n_frames,
                    J=sequence_j(davis_root, out, name, n_frames, resolution))


def run_mmmotion(davis_root: str, name: str, config: str, n_frames: int, resolution: str = '480p') -> Dict:
    """One mmmotion config on the first ``n_frames`` frames of sequence ``name``, one thread: the uNLC call on
    frames in memory (:func:`~mmmotion.experiments.unlc_speed.time_clip`), then ``tools/unlc/segment_video.py``
    as a subprocess (the whole process); J of its masks."""
    from mmmotion.experiments.unlc_speed import time_clip
    from mmmotion.utils.config import package_path
    from mmmotion.utils.video_io import read_frames
    frames_dir = frames_dir_of(davis_root, name, resolution)
    clip = time_clip(read_frames(frames_dir, max_frames=n_frames), config, dict(threads=1))
    with tempfile.TemporaryDirectory() as out:
        run = child_run([sys.executable, package_path('tools', 'unlc', 'segment_video.py'), frames_dir,
                         '--out', osp.join(out, name), '--config', config, '--max-frames', str(n_frames),
                         '--cfg-options', 'threads=1'], env=ONE_THREAD_ENV)
        return dict(algorithm_s=clip['wall_s'] / n_frames, algorithm_cpu_s=clip['cpu_s'] / n_frames,
                    process_s=run['wall_s'] / n_frames, process_cpu_s=run['cpu_s'] / n_frames,
                    J=sequence_j(davis_root, out, name, n_frames, resolution))


def to_markdown(rows: List[Dict], configs: Sequence[str]) -> str:
    """Per sequence: the authors' row, then each config's with its speed-up over the authors' (algorithm, whole
    process); a last block with the means over the sequences."""
    head = ('| sequence | code | algorithm s/frame | whole process s/frame | algorithm speed-up | '
            'whole-process speed-up | J |\n|---|---|---:|---:|---:|---:|---:|')
    lines = [head]

    def line(name, label, r, a):
        up = '' if r is a else f"{a['algorithm_s'] / r['algorithm_s']:.1f}x"
        up_p = '' if r is a else f"{a['process_s'] / r['process_s']:.1f}x"
        lines.append(f"| {name} | {label} | {r['algorithm_s']:.3f} | {r['process_s']:.3f} | {up} | {up_p} | "
                     f"{r['J']:.3f} |")

    for row in rows:
        line(row['sequence'], 'authors', row['authors'], row['authors'])
        for label in configs:
            line(row['sequence'], label, row[label], row['authors'])
    mean = {key: {k: float(np.mean([r[key][k] for r in rows])) for k in ('algorithm_s', 'process_s', 'J')}
            for key in ('authors', *configs)}
    line('mean', 'authors', mean['authors'], mean['authors'])
    for label in configs:
        line('mean', label, mean[label], mean['authors'])
    return '\n'.join(lines) + '\n'


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('davis_root', help='DAVIS 2016-layout root (JPEGImages/<res>/<seq>, Annotations/<res>/<seq>)')
    parser.add_argument('--authors', required=True, help="the authors' code set up by ../shared/refunlc/setup.sh DIR")
    parser.add_argument('--configs', nargs='+', required=True, metavar='LABEL=CONFIG')
    parser.add_argument('--sequences', nargs='+', required=True)
    parser.add_argument('--frames', type=int, default=35, help='first N frames of each sequence')
    parser.add_argument('--max-side', type=int, default=600, help="the authors' runner's frame size")
    parser.add_argument('--resolution', default='480p')
    parser.add_argument('--markdown', default=None)
    parser.add_argument('--json', default=None)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    configs = dict(c.split('=', 1) for c in args.configs)
    if not osp.isfile(osp.join(args.authors, 'run_ref.py')):
        print(f"error: {args.authors} holds no run_ref.py (bash ../shared/refunlc/setup.sh {args.authors})",
              file=sys.stderr)
        return 2
    rows = []
    for name in args.sequences:
        frames_dir = frames_dir_of(args.davis_root, name, args.resolution)
        gt_dir = osp.join(args.davis_root, 'Annotations', args.resolution, name)
        if not osp.isdir(frames_dir) or not osp.isdir(gt_dir):
            print(f'error: sequence {name}: {frames_dir} or {gt_dir} is missing', file=sys.stderr)
            return 2
        print(f'{name}: authors ...', flush=True)
        row = dict(sequence=name, authors=run_authors(args.davis_root, name, args.authors, args.frames, args.max_side,
                                                      args.resolution))
        for label, config in configs.items():
            print(f'{name}: {label} ...', flush=True)
            row[label] = run_mmmotion(args.davis_root, name, config, args.frames, args.resolution)
        rows.append(row)
    table = to_markdown(rows, list(configs))
    print(table)
    if args.markdown:
        atomic_write_text(args.markdown, table)
    if args.json:
        atomic_write_json(args.json, rows)
    return 0
