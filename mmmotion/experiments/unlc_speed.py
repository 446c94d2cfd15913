"""uNLC speed and quality in one run: for each config, seconds and core-seconds a frame on a clip (whole call
and per stage), then J on DAVIS-layout dev clips with the whole process timed (reading, uNLC, scoring), so
speed and quality are never reported apart.

Core-seconds are the process's CPU time (all its threads); on a machine that runs nothing else, wall seconds
x cores in use bound them from above. ``core-s/frame`` is what scales to a big machine: N cores make about
N / core-s frames a second when every core runs its own video.
"""
import os.path as osp
import time
from typing import Dict, List, Optional, Sequence

import numpy as np

from mmmotion.apis.segment import build_unlc
from mmmotion.unlc import UNLC
from mmmotion.utils.video_io import read_frames
from mmmotion.engine.runs import machine_description, machine_load, run_conditions
from mmmotion.evaluation.davis import annotation_stems, read_mask, region_similarity
from mmmotion.utils.markdown import replace_section

STAGES = UNLC.STAGES


class Clock:
    """Wall and process CPU seconds since it was made (``wall``, ``cpu`` on :meth:`stop`)."""

    def __init__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def stop(self) -> 'Clock':
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu
        return self


def time_clip(frames: np.ndarray, config=None, options: Optional[dict] = None, repeat: int = 1) -> Dict:
    """Time uNLC on one clip after a two-frame warm-up; the fastest of ``repeat`` runs.

    Args:
        frames: (n, h, w, 3) uint8 RGB.
        config, options: see :func:`mmmotion.apis.segment.build_unlc`.

    Returns:
        ``dict(n_frames, height, width, threads, wall_s, cpu_s, stages={stage: wall seconds},
        stage_cpu={stage: CPU seconds})``.
    """
    unlc = build_unlc(config, options)
    unlc(frames[:2])
    best = None
    for _ in range(max(1, repeat)):
        clock = Clock()
        unlc(frames)
        clock.stop()
        if best is None or clock.wall < best[0].wall:
            best = clock, dict(unlc.timings), dict(unlc.cpu_timings)
    n, h, w = frames.shape[:3]
    return dict(n_frames=n, height=h, width=w, threads=unlc.n_threads, wall_s=best[0].wall, cpu_s=best[0].cpu,
                stages=best[1], stage_cpu=best[2])


def dev_quality(davis_root: str, sequences: Sequence[str], config=None, options: Optional[dict] = None,
                folds: Optional[Dict[str, Sequence[str]]] = None, resolution: str = '480p',
                max_frames: Optional[int] = None) -> Dict:
    """J of uNLC on DAVIS-layout sequences (one shot each; their first ``max_frames`` frames where given), the
    whole process timed: reading the frames, uNLC, reading the ground truth and scoring.

    Returns:
        ``dict(J={sequence: mean J}, folds={name: mean of its sequences' J}, J_mean, n_frames, wall_s,
        cpu_s)``.
    """
    unlc = build_unlc(config, options)
    scores, n_frames = {}, 0
    clock = Clock()
    for name in sequences:
        frames = read_frames(osp.join(davis_root, 'JPEGImages', resolution, name), max_frames=max_frames)
        _, binary = unlc(frames)
        gt_dir = osp.join(davis_root, 'Annotations', resolution, name)
        stems = annotation_stems(gt_dir)
        scores[name] = float(np.mean([region_similarity(pred, read_mask(osp.join(gt_dir, stem + '.png')))
                                      for pred, stem in zip(binary, stems)]))
        n_frames += len(frames)
    clock.stop()
    return dict(J=scores, folds={k: float(np.mean([scores[s] for s in v])) for k, v in (folds or {}).items()},
                J_mean=float(np.mean(list(scores.values()))), n_frames=n_frames, wall_s=clock.wall,
                cpu_s=clock.cpu)


def measure(configs: Dict[str, object], clip: np.ndarray, davis_root: Optional[str] = None,
            sequences: Sequence[str] = (), folds: Optional[Dict[str, Sequence[str]]] = None,
            repeat: int = 1, max_frames: Optional[int] = None) -> List[Dict]:
    """:func:`time_clip` and, with ``davis_root``, :func:`dev_quality` (on the first ``max_frames`` of each
    sequence where given) for every ``{label: config}``; one ``dict(label, config, clip=..., quality=...)``
    each, in order."""
    results = []
    for label, config in configs.items():
        result = dict(label=label, config=config, clip=time_clip(clip, config, repeat=repeat))
        if davis_root:
            result['quality'] = dev_quality(davis_root, sequences, config, folds=folds, max_frames=max_frames)
        results.append(result)
    return results


def hours_for(frames: float, core_seconds: float, cores: int) -> float:
    """Hours to segment ``frames`` at ``core_seconds`` a frame on ``cores`` cores that each run their own
    video (no loss to scaling, decoding and writing counted in ``core_seconds``)."""
    return frames * core_seconds / cores / 3600.0


def to_markdown(results: List[Dict], heading: str, setting: str, command: str, conditions: str,
                scale_frames: float = 40e6, scale_cores: Sequence[int] = (2, 16, 64)) -> str:
    """A docs section: speed and J of each config, per-stage seconds, and the hours for ``scale_frames``."""
    first = results[0]['clip']
    lines = [f'## {heading}', '', setting + f' Conditions: {conditions}.', '', f'Command: `{command}`', '',
             f'Clip: {first["n_frames"]} frames at {first["width"]}x{first["height"]}, timed after a warm-up '
             '(uNLC alone: the call on frames in memory). Dev clips: whole process per frame over every frame '
             '(reading JPEGs, uNLC, scoring). Core-s = the process\'s CPU seconds (all its threads).', '']
    has_quality = all('quality' in r for r in results)
    fold_names = list(results[0]['quality']['folds']) if has_quality else []
    header = ['config', 'threads', 'clip s/frame', 'clip core-s/frame']
    if has_quality:
        header += ['dev s/frame', 'dev core-s/frame'] + [f'J fold {f}' for f in fold_names] + ['J all']
    lines += ['| ' + ' | '.join(header) + ' |', '|---|' + '---:|' * (len(header) - 1)]
    for r in results:
        clip = r['clip']
        row = [r['label'], str(clip['threads']), f'{clip["wall_s"] / clip["n_frames"]:.3f}',
               f'{clip["cpu_s"] / clip["n_frames"]:.3f}']
        if has_quality:
            q = r['quality']
            row += [f'{q["wall_s"] / q["n_frames"]:.3f}', f'{q["cpu_s"] / q["n_frames"]:.3f}']
            row += [f'{q["folds"][f]:.3f}' for f in fold_names] + [f'{q["J_mean"]:.3f}']
        lines.append('| ' + ' | '.join(row) + ' |')
    lines += ['', 'Per stage on the clip, s/frame / core-s/frame (wall / CPU seconds a frame):', '',
              '| stage | ' + ' | '.join(r['label'] for r in results) + ' |',
              '|---|' + '---:|' * len(results)]
    for stage in STAGES:
        if any(stage in r['clip']['stages'] for r in results):
            lines.append(f'| {stage} | ' + ' | '.join(
                f'{r["clip"]["stages"].get(stage, 0.0) / r["clip"]["n_frames"]:.4f} / '
                f'{r["clip"]["stage_cpu"].get(stage, 0.0) / r["clip"]["n_frames"]:.4f}' for r in results) + ' |')
    if has_quality:
        sequences = list(results[0]['quality']['J'])
        lines += ['', 'J per dev clip:', '', '| config | ' + ' | '.join(sequences) + ' |',
                  '|---|' + '---:|' * len(sequences)]
        lines += ['| ' + r['label'] + ' | ' + ' | '.join(f'{r["quality"]["J"][s]:.3f}' for s in sequences) + ' |'
                  for r in results]
        lines += ['', f'Hours for {scale_frames / 1e6:.0f}M frames at the dev clips\' whole-process core-s/frame '
                  '(every core runs its own video; no loss to scaling):', '',
                  '| config | ' + ' | '.join(f'{c} cores' for c in scale_cores) + ' |',
                  '|---|' + '---:|' * len(scale_cores)]
        for r in results:
            q = r['quality']
            lines.append(f'| {r["label"]} | ' + ' | '.join(
                f'{hours_for(scale_frames, q["cpu_s"] / q["n_frames"], c):.0f} h' for c in scale_cores) + ' |')
    return '\n'.join(lines) + '\n'


UNLC_LIBRARIES = ('numpy', 'scipy', 'skimage', 'cv2', 'faiss')  # what uNLC's speed depends on


def run_benchmark(configs: Dict[str, object], clip: str, n_frames: int = 60, davis_root: Optional[str] = None,
                  sequences: Optional[Sequence[str]] = None, folds: Optional[Dict[str, Sequence[str]]] = None,
                  repeat: int = 1, max_frames: Optional[int] = None, command: str = '',
                  output: Optional[str] = None,
                  heading: str = '## uNLC speed: default and fast, s/frame and core-s/frame') -> str:
    """Measure ``configs`` (:func:`measure`) on the first ``n_frames`` of the video or frame folder ``clip``
    and, with ``davis_root``, on its ``sequences`` (default: those of ``folds``; their first ``max_frames``);
    returns the docs section, also written to ``output`` (the section ``heading`` created or replaced)."""
    frames = read_frames(clip, max_frames=n_frames)
    sequences = list(sequences or [s for members in (folds or {}).values() for s in members])
    if davis_root and not sequences:
        raise ValueError('give the dev sequences, or folds that name them')
    load = machine_load()
    results = measure(configs, frames, davis_root, sorted(sequences), folds, repeat, max_frames)
    setting = (f'Machine: {machine_description(UNLC_LIBRARIES)}. Clip `{clip}`' +
               (f'; dev clips `{davis_root}` ({len(sequences)} sequences).' if davis_root else '.'))
    section = to_markdown(results, heading[3:], setting, command, run_conditions(load, machine_load()))
    if output:
        replace_section(output, heading, section.rstrip('\n') + '\n\n')
    return section
