"""Generating the uNLC pseudo-ground-truth dataset from many videos: sharded, resumable, on Ray.

Each video is processed independently (:func:`mmmotion.pseudo_gt.process_video`) and ends as one
atomically written record; the COCO file and manifests are then assembled from the records alone
(:func:`mmmotion.pseudo_gt.merge_dataset`). Hence a resumed run, a sharded run or a Ray run gives
byte-identical files to a single uninterrupted run.
"""
import functools
import importlib
import json
import logging
import os
import os.path as osp
import time
from collections import Counter
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from mmmotion.utils.config import load_config
from . import storage
from .inputs import VideoEntry, list_videos, most_work_first, shard
from .merge import merge_dataset, slim_record, summarise
from .process import FAILED, OK, REJECTED, GeneratorConfig, Segmenter, build_shot_detector, load_record
from .runners import run_local, run_ray

logger = logging.getLogger('mmmotion.generate_dataset')

DEFAULT_SEGMENTER = 'mmmotion.apis.segment.segment_video'
# Keys of a generation config that are the generator's; all other keys are uNLC's own settings.
GENERATOR_KEYS = ('generator', 'segmenter')


def import_callable(name: str) -> Callable:
    """The object named ``'package.module.attr'`` or ``'package.module:attr'``."""
    module, _, attr = name.replace(':', '.').rpartition('.')
    return getattr(importlib.import_module(module), attr)


def _callable_name(func: Callable) -> str:
    while isinstance(func, functools.partial):
        func = func.func
    return f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', type(func).__name__)}"


def resolve_segmenter(cfg: Dict[str, Any],
                      segmenter: Union[None, str, Segmenter] = None) -> Segmenter:
    """The segmentation function ``frames (n,h,w,3) uint8 RGB -> (soft, binary)``.

    ``segmenter`` (or the config's ``segmenter`` key) is a callable or its import path; a function
    named by path is called with ``cfg=`` the config's uNLC settings (all keys but the generator's;
    ``None`` when there are none), as :func:`mmmotion.apis.segment.segment_video` expects. The
    default is uNLC's ``segment_video``.
    """
    segmenter = segmenter if segmenter is not None else cfg.get('segmenter', DEFAULT_SEGMENTER)
    if callable(segmenter):
        return segmenter
    seg_cfg = {k: v for k, v in cfg.items() if k not in GENERATOR_KEYS} or None
    return functools.partial(import_callable(segmenter), cfg=seg_cfg)


def _check_meta(out_dir: str, meta: Dict[str, Any]) -> None:
    """Refuse to mix outputs of different settings in one dataset directory."""
    meta = json.loads(storage.dumps_json(meta))  # as it reads back (tuples become lists)
    path = osp.join(out_dir, storage.META_FILE)
    if osp.exists(path):
        old = storage.read_json(path)
        if old != meta:
            raise ValueError(f'{out_dir} holds a dataset generated with other settings '
                             f'(see {path}); use another output directory')
    else:
        storage.atomic_write_json(path, meta, indent=1)


def _log_record(rec: Dict[str, Any]) -> None:
    if rec['status'] == OK:
        logger.info('%s: ok, %d frame(s) kept from %d shot(s)', rec['video_id'],
                    rec['stats']['frames_kept'], rec['stats']['shots_kept'])
    else:
        logger.warning('%s (%s): %s: %s', rec['video_id'], rec['source'], rec['status'],
                       rec['reason'])


def all_shards_done(out_dir: str, num_shards: int) -> bool:
    """Whether every shard of an ``num_shards``-way run has finished."""
    return all(osp.exists(storage.shard_path(out_dir, i, num_shards)) for i in range(num_shards))


def generate_dataset(inputs: Union[str, os.PathLike, Sequence[str]],
                     out_dir: Union[str, os.PathLike],
                     cfg: Union[None, str, Dict[str, Any], Any] = None,
                     num_shards: int = 1,
                     shard_id: int = 0,
                     launcher: str = 'none',
                     ray_address: Optional[str] = None,
                     workers: int = 1,
                     resume: bool = False,
                     segmenter: Union[None, str, Segmenter] = None,
                     merge: Union[bool, str] = 'auto',
                     progress: bool = False,
                     retry_failed: bool = True,
                     threads: Optional[int] = None) -> Dict[str, Any]:
    """Segment the videos of one shard with uNLC and write their kept frames, masks and records.

    Args:
        inputs: a video list file (one path per line, relative to the file), a directory of
            videos or frame folders, or a sequence of paths.
        out_dir: the dataset directory (see :mod:`mmmotion.pseudo_gt.storage`).
        cfg: a config (file, dict or ``Config``): key ``generator`` holds
            :class:`~mmmotion.pseudo_gt.GeneratorConfig` fields, ``segmenter`` an import
            path, the rest is passed to the segmenter as its ``cfg``.
        num_shards, shard_id: process the videos at positions ``i % num_shards == shard_id``.
        launcher: ``'none'`` (in this process, or a process pool when ``workers > 1``) or
            ``'ray'`` (each video a Ray task, results taken as they finish).
        ray_address: a Ray cluster to join; by default a local Ray with ``workers`` CPUs.
        workers: parallel videos.
        resume: skip videos that already have a record (a killed run restarted this way ends
            with exactly the files of an uninterrupted run).
        retry_failed: with ``resume``, process videos whose record says ``failed`` again (a
            failure may be transient: a file still being copied, a full disk); False keeps them.
        segmenter: overrides the config's segmenter (a callable, picklable for pools and Ray).
        merge: ``'auto'`` builds the COCO file and manifests once all shards have finished;
            ``True`` always (fails if records are missing); ``False`` never.
        progress: show a tqdm bar over the videos.
        threads: library threads (OpenCV, OpenBLAS, OpenMP) of each worker; by default the cores shared
            out among local workers (all of them in this process), one per Ray task.

    Returns:
        A summary: this shard's videos, shots and frames (kept, rejected by reason), the videos
        processed now and resumed, time, frames/s and videos/s, ``lost`` (videos whose worker
        died: not recorded, the shard is not marked done; rerun with ``resume``), and ``dataset``
        (the merged dataset's summary) when merged, and ``timing``: where the workers' time went
        (:func:`timing_summary`).
    """
    if launcher not in ('none', 'ray'):
        raise ValueError(f"launcher must be 'none' or 'ray', got {launcher!r}")
    out_dir = str(out_dir)
    gen_cfg, seg = _prepare(out_dir, load_config(cfg), segmenter)
    entries = list_videos(inputs)
    mine = shard(entries, num_shards, shard_id)
    records, todo = _pending(mine, out_dir, resume, retry_failed)
    if workers > 1 and len(todo) > 1:
        todo = most_work_first(todo, gen_cfg.image_max_side)
    n_resumed = len(records)
    progress_log = _Progress(records, len(mine), progress)
    t0 = time.perf_counter()
    with progress_log.redirect():
        if launcher == 'ray':
            run_ray(todo, out_dir, gen_cfg, seg, progress_log.on_result, progress_log.on_lost, workers, ray_address,
                    threads)
        else:
            run_local(todo, out_dir, gen_cfg, seg, progress_log.on_result, progress_log.on_lost,
                      workers if len(todo) > 1 else 1, threads)
    elapsed = time.perf_counter() - t0
    progress_log.close()
    lost = progress_log.lost
    if not lost:  # the shard is complete
        storage.atomic_write_json(
            storage.shard_path(out_dir, shard_id, num_shards),
            dict(num_shards=num_shards, shard_id=shard_id, video_ids=[e.video_id for e in mine]))
    summary = _shard_summary(records, todo, n_resumed, elapsed, lost, shard_id, num_shards)
    summary['timing'] = timing_summary(progress_log.timings, elapsed)
    if merge is True or (merge == 'auto' and not lost and all_shards_done(out_dir, num_shards)):
        summary['dataset'] = merge_dataset(out_dir, [e.video_id for e in entries])
        summary['merged'] = True
        summary['coco_file'] = osp.join(out_dir, storage.COCO_FILE)
    return summary


def _prepare(out_dir: str, cfg_dict: Dict[str, Any],
             segmenter: Union[None, str, Segmenter]) -> Tuple[GeneratorConfig, Segmenter]:
    """The generator's settings and segmenter, checked before any video: a bad config or a missing
    package fails now, and an output folder holding another run's settings is refused."""
    gen_cfg = GeneratorConfig.from_dict(cfg_dict.get('generator', {}))
    build_shot_detector(gen_cfg.shot_detector)
    seg = resolve_segmenter(cfg_dict, segmenter)
    os.makedirs(osp.join(out_dir, storage.RECORDS_DIR), exist_ok=True)
    seg_cfg = seg.keywords.get('cfg') if isinstance(seg, functools.partial) else None
    _check_meta(out_dir, dict(generator=gen_cfg.to_dict(), segmenter=_callable_name(seg), segmenter_cfg=seg_cfg))
    return gen_cfg, seg


def _pending(mine: List[VideoEntry], out_dir: str, resume: bool,
             retry_failed: bool) -> Tuple[Dict[str, Dict[str, Any]], List[VideoEntry]]:
    """(records of the videos already done, the videos to process): with ``resume`` a video with a
    record is done, unless the record says it failed and ``retry_failed``."""
    records: Dict[str, Dict[str, Any]] = {}
    todo: List[VideoEntry] = []
    for e in mine:
        rec = load_record(out_dir, e.video_id) if resume else None
        if rec is not None and not (retry_failed and rec['status'] == FAILED):
            records[e.video_id] = slim_record(rec)
        else:
            todo.append(e)
    if records:
        logger.info('resuming: %d of %d video(s) of this shard already done', len(records), len(mine))
    return records, todo


class _Progress:
    """Collects the videos' records as they finish, logs each, and keeps a tqdm bar and counts."""

    def __init__(self, records: Dict[str, Dict[str, Any]], total: int, show: bool):
        from tqdm import tqdm
        self.records = records
        self.status = Counter(r['status'] for r in records.values())
        self.lost: List[VideoEntry] = []
        self.timings: List[Dict[str, Any]] = []
        self.bar = tqdm(total=total, initial=len(records), unit='video', disable=not show, dynamic_ncols=True)

    def redirect(self):
        from tqdm.contrib.logging import logging_redirect_tqdm
        return logging_redirect_tqdm()

    def on_result(self, entry: VideoEntry, rec: Dict[str, Any], timing: Dict[str, Any]) -> None:
        _log_record(rec)
        self.timings.append(dict(timing, video_id=entry.video_id, frames=rec['stats']['frames_segmented']))
        self.records[entry.video_id] = slim_record(rec)
        self.status[rec['status']] += 1
        self.bar.update(1)
        self.bar.set_postfix(ok=self.status[OK], rejected=self.status[REJECTED], failed=self.status[FAILED],
                             refresh=False)

    def on_lost(self, entry: VideoEntry, exc: BaseException) -> None:
        logger.error('%s (%s): worker died (%s: %s); not recorded, rerun with --resume to retry', entry.video_id,
                     entry.source, type(exc).__name__, exc)
        self.lost.append(entry)
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


def _shard_summary(records: Dict[str, Dict[str, Any]], todo: List[VideoEntry], n_resumed: int, elapsed: float,
                   lost: List[VideoEntry], shard_id: int, num_shards: int) -> Dict[str, Any]:
    """This shard's summary: videos, shots and frames by outcome, and the speed of the videos run now."""
    summary = summarise(records.values())
    new = [records[e.video_id] for e in todo if e.video_id in records]
    n_frames = sum(r['stats']['frames_segmented'] for r in new)
    summary.update(
        shard=dict(id=shard_id, of=num_shards),
        processed=len(new),
        resumed=n_resumed,
        elapsed_s=round(elapsed, 3),
        frames_per_s=round(n_frames / elapsed, 3) if elapsed > 0 else None,
        videos_per_s=round(len(new) / elapsed, 3) if elapsed > 0 else None,
        merged=False,
        lost=[e.video_id for e in lost])
    return summary


def timing_summary(timings: List[Dict[str, Any]], elapsed: float) -> Dict[str, Any]:
    """Where the workers' time went, from each video's ``timing`` (:func:`~mmmotion.pseudo_gt.runners.timed_process`).

    Per worker process (by pid): its videos, busy seconds (wall time inside ``process_video``), CPU
    seconds (all its threads), and those spent in the segmenter; the rest of a video's time is decoding
    (twice), shot detection, resizing, the quality score and writing. Over the run: ``busy_share`` (the
    workers' busy time over ``workers x elapsed``: below 1 when workers wait, e.g. the last videos leave
    one idle, or for start-up), ``cpu_per_busy`` (CPU over busy seconds: above 1 when a worker's threads use
    more than one core, below 1 when it waits for a core) and the library thread counts seen.
    """
    workers: Dict[int, Dict[str, Any]] = {}
    for t in timings:
        w = workers.setdefault(t['pid'], dict(videos=0, frames=0, busy_s=0.0, cpu_s=0.0, segment_wall_s=0.0,
                                              segment_cpu_s=0.0))
        w['videos'] += 1
        w['frames'] += t['frames']
        for key, src in (('busy_s', 'wall_s'), ('cpu_s', 'cpu_s'), ('segment_wall_s', 'segment_wall_s'),
                         ('segment_cpu_s', 'segment_cpu_s')):
            w[key] += t[src]
    busy = sum(w['busy_s'] for w in workers.values())
    cpu = sum(w['cpu_s'] for w in workers.values())
    seg = sum(w['segment_wall_s'] for w in workers.values())
    threads = sorted({tuple(sorted((k, v) for k, v in t['threads'].items() if k != 'process')) for t in timings},
                     key=str)  # None where a library was not loaded
    return dict(
        workers={str(pid): {k: round(v, 3) if isinstance(v, float) else v for k, v in w.items()}
                 for pid, w in sorted(workers.items())},
        busy_s=round(busy, 3),
        cpu_s=round(cpu, 3),
        segment_wall_s=round(seg, 3),
        other_wall_s=round(busy - seg, 3),
        busy_share=round(busy / (len(workers) * elapsed), 4) if workers and elapsed > 0 else None,
        cpu_per_busy=round(cpu / busy, 4) if busy > 0 else None,
        max_process_threads=max((t['threads'].get('process') or 0 for t in timings), default=None),
        library_threads=[dict(t) for t in threads],
        videos=[{k: (round(v, 3) if isinstance(v, float) else v) for k, v in t.items() if k != 'threads'}
                for t in timings])
