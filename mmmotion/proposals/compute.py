"""Selective-search proposals for a VOC split (or any list of images), computed in a pool of processes.

mmdet's Fast R-CNN reads a dataset's ``proposal_file``: a pickle ``{'<folder>/<file>': dict(bboxes=(n, 4)
float32 x1y1x2y2, scores=(n,) float32)}`` with exactly one entry per image of the split, best first.
Every image's boxes are cached as one small ``.npy`` (written atomically), so a killed run resumes where
it stopped and produces the same file. Unreadable images are reported by name and get an empty (0, 4)
entry, so the file still loads (mmdet then fails on the image itself, not the proposals).
"""
import functools
import json
import logging
import os
import os.path as osp
import time
from typing import Dict, Mapping, Optional, Tuple

import cv2
import numpy as np
from tqdm import tqdm

from mmmotion.utils.fileio import atomic_write_json, atomic_writer
from mmmotion.utils.pool import run_tasks
from .io import ImagesArg, check_unique_keys, rank_scores, resolve_images, save_proposals
from .selective_search import SELECTIVE_SEARCH_MODES, selective_search
from .summary import ProposalRunSummary

logger = logging.getLogger('mmmotion.proposals')


def _save_npy_atomic(path: str, array: np.ndarray) -> None:
    with atomic_writer(path) as f:
        np.save(f, array, allow_pickle=False)


def _load_cached(path: str) -> Optional[np.ndarray]:
    """The cached boxes, or None when absent or unreadable (then they are recomputed)."""
    if not osp.isfile(path):
        return None
    try:
        boxes = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        logger.warning('ignoring unreadable cache file %s (%s); recomputing', path, exc)
        return None
    if boxes.dtype != np.float32 or boxes.ndim != 2 or boxes.shape[1] != 4:
        logger.warning('ignoring cache file %s with shape %s %s; recomputing', path, boxes.shape, boxes.dtype)
        return None
    return boxes


def _init_worker() -> None:
    # One OpenCV thread per process: the pool already uses the cores.
    cv2.setNumThreads(1)


def _compute_one(image_path: str, cache_path: str, settings: dict) -> Tuple[str, Optional[str], float]:
    """Selective search on one image file; the boxes go to ``cache_path``. Returns (path, error, seconds)."""
    start = time.perf_counter()
    try:
        if not osp.isfile(image_path):
            raise FileNotFoundError('no such file')
        image = cv2.imread(image_path, cv2.IMREAD_COLOR)
        if image is None:
            raise ValueError('OpenCV cannot decode it (not an image, or corrupt)')
        boxes = selective_search(image, **settings)
        _save_npy_atomic(cache_path, boxes)
    except Exception as exc:  # noqa: BLE001 - reported per image, the run goes on
        return image_path, f'{type(exc).__name__}: {exc}', time.perf_counter() - start
    return image_path, None, time.perf_counter() - start


def _compute_task(item: Tuple[str, str], settings: dict) -> Tuple[str, Optional[str], float]:
    return _compute_one(item[0], item[1], settings)


def default_cache_dir(out_file: str, settings: Mapping) -> str:
    """``<output folder>/cache/selective_search-<settings>``: shared by splits with the same settings."""
    name = 'selective_search-' + '-'.join(f'{key}{value}' for key, value in sorted(settings.items()))
    return osp.join(osp.dirname(osp.abspath(out_file)), 'cache', name)


def _prepare_cache(cache_dir: str, settings: Mapping) -> None:
    os.makedirs(cache_dir, exist_ok=True)
    settings_file = osp.join(cache_dir, 'settings.json')
    if osp.isfile(settings_file):
        with open(settings_file) as f:
            cached = json.load(f)
        if cached != dict(settings):
            raise ValueError(f'cache {cache_dir} holds proposals computed with {cached}, not {dict(settings)}; '
                             'use another cache_dir or delete it')
        return
    atomic_write_json(settings_file, dict(settings))


def _default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def compute_proposals(images: ImagesArg, out_file: str, split: Optional[str] = None, *,
                      workers: Optional[int] = None, mode: str = 'fast', max_proposals: Optional[int] = 2000,
                      min_size: int = 10, resize_to: Optional[int] = 500, seed: int = 0,
                      cache_dir: Optional[str] = None, progress: bool = True) -> ProposalRunSummary:
    """Selective-search proposals for every image of a split, written as an mmdet proposal file.

    Args:
        images: a VOC year folder (with ``split``) or a list of image paths.
        out_file: the ``.pkl`` to write (atomically), keyed by :func:`proposal_key`.
        split: the ``ImageSets/Main/<split>.txt`` list to use when ``images`` is a folder.
        workers: processes (None: all available cores; 0 or 1: run in this process).
        mode, max_proposals, min_size, resize_to, seed: see
            :func:`mmmotion.proposals.selective_search.selective_search`.
        cache_dir: where each image's boxes are cached (default :func:`default_cache_dir`). Delete it
            to recompute; its ``settings.json`` guards against mixing settings.
        progress: show a tqdm bar.

    Returns:
        A :class:`ProposalRunSummary`. Images that cannot be read are listed in ``failures``, get an
        empty entry in the file and are retried by the next run.
    """
    if mode not in SELECTIVE_SEARCH_MODES:
        raise ValueError(f'unknown selective search mode {mode!r}; choose from {sorted(SELECTIVE_SEARCH_MODES)}')
    start = time.perf_counter()
    paths = resolve_images(images, split)
    keys = check_unique_keys(paths)
    settings = dict(mode=mode, max_proposals=max_proposals, min_size=min_size, resize_to=resize_to, seed=seed)
    cache_dir = cache_dir or default_cache_dir(out_file, settings)
    _prepare_cache(cache_dir, settings)
    cache_paths = [osp.join(cache_dir, f'{key}.npy') for key in keys]

    boxes: Dict[str, np.ndarray] = {}
    todo = []
    for path, cache_path in zip(paths, cache_paths):
        cached = _load_cached(cache_path)
        if cached is None:
            todo.append((path, cache_path))
        else:
            boxes[path] = cached
    summary = ProposalRunSummary(out_file=out_file, num_images=len(paths), num_cached=len(boxes),
                                 cache_dir=cache_dir)
    workers = _default_workers() if workers is None else workers
    workers = max(1, min(workers, len(todo)))

    bar = tqdm(total=len(paths), initial=len(boxes), desc=f'selective search ({mode})', unit='img',
               disable=not progress, dynamic_ncols=True)

    def collect(result: Tuple[str, Optional[str], float], cache_path: str) -> None:
        path, error, seconds = result
        summary.compute_seconds += seconds
        if error is None:
            loaded = _load_cached(cache_path)
            error = None if loaded is not None else f'cache file {cache_path} could not be read back'
        if error is None:
            boxes[path] = loaded
            summary.num_computed += 1
        else:
            summary.failures[path] = error
            logger.warning('skipping %s: %s', path, error)
        bar.update(1)

    def lost(item: Tuple[str, str], error: BaseException) -> None:
        summary.failures[item[0]] = f'its worker process died ({type(error).__name__}: {error})'
        logger.warning('skipping %s: %s', item[0], summary.failures[item[0]])
        bar.update(1)

    try:
        run_tasks(functools.partial(_compute_task, settings=settings), todo, workers,
                  lambda item, result: collect(result, item[1]), lost, initializer=_init_worker)
    finally:
        bar.close()

    proposals = {}
    for path, key in zip(paths, keys):
        image_boxes = boxes.get(path, np.zeros((0, 4), np.float32))
        proposals[key] = dict(bboxes=image_boxes, scores=rank_scores(len(image_boxes)))
        summary.num_proposals.append(len(image_boxes))
    save_proposals(proposals, out_file)
    summary.wall_seconds = time.perf_counter() - start
    if summary.failures:
        logger.error('%d of %d images failed and have no proposals in %s (rerun to retry them): %s',
                     len(summary.failures), len(paths), out_file, ', '.join(summary.failures))
    return summary
