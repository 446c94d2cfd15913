"""Precomputed region proposals for Fast R-CNN: compute them with selective search, or import them.

mmdet's Fast R-CNN reads a dataset's ``proposal_file``: a pickle ``{'<folder>/<file>': dict(bboxes=(n, 4)
float32 x1y1x2y2, scores=(n,) float32)}`` with exactly one entry per image of the split, best first.

* :func:`compute_proposals` runs selective search over a VOC split (or any list of images) in a pool of
  processes. Every image's boxes are cached as one small ``.npy`` (written atomically), so a killed run
  resumes where it stopped and produces the same file. Unreadable images are reported by name and get an
  empty (0, 4) entry, so the file still loads (mmdet then fails on the image itself, not the proposals).
* :func:`convert_proposals` imports R-CNN/Fast R-CNN selective-search ``.mat`` files and mmdet ``.pkl``
  files (the dict format, or mmdet 2.x's list of (n, 4|5) arrays in split order).
"""
import concurrent.futures as futures
import json
import logging
import multiprocessing
import os
import os.path as osp
import pickle
import time
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Sequence, Tuple, Union

import cv2
import numpy as np
from tqdm import tqdm

from mmmotion.datasets.proposals import check_boxes, proposal_key, rank_scores, save_proposals
from mmmotion.datasets.selective_search import SELECTIVE_SEARCH_MODES, selective_search

logger = logging.getLogger('mmmotion.proposals')

ImagesArg = Union[str, Sequence[str]]


@dataclass
class ProposalRunSummary:
    """What a :func:`compute_proposals` or :func:`convert_proposals` call did."""
    out_file: str
    num_images: int
    num_computed: int = 0
    num_cached: int = 0
    failures: Dict[str, str] = field(default_factory=dict)  # image path -> reason
    num_proposals: List[int] = field(default_factory=list)  # per image, in output order
    wall_seconds: float = 0.0
    compute_seconds: float = 0.0  # selective search + I/O summed over computed images
    cache_dir: Optional[str] = None

    @property
    def mean_proposals(self) -> float:
        """Mean number of proposals per image (failed images count as 0)."""
        return float(np.mean(self.num_proposals)) if self.num_proposals else 0.0

    @property
    def seconds_per_image(self) -> float:
        """Single-process seconds per computed image (nan when nothing was computed)."""
        return self.compute_seconds / self.num_computed if self.num_computed else float('nan')


def voc_split_images(year_root: str, split: str) -> List[str]:
    """Image paths ``<year_root>/JPEGImages/<id>.jpg`` of ``ImageSets/Main/<split>.txt``, in file order."""
    list_file = osp.join(year_root, 'ImageSets', 'Main', f'{split}.txt')
    if not osp.isfile(list_file):
        raise FileNotFoundError(f'split {split!r} of {year_root}: no image list {list_file}')
    with open(list_file) as f:
        ids = [line.split()[0] for line in f if line.strip()]
    if not ids:
        raise ValueError(f'split {split!r}: {list_file} lists no images')
    return [osp.join(year_root, 'JPEGImages', f'{image_id}.jpg') for image_id in ids]


def _resolve_images(images: ImagesArg, split: Optional[str]) -> List[str]:
    if isinstance(images, str):
        if not osp.isdir(images):
            raise NotADirectoryError(f'{images}: expected a VOC year folder (e.g. VOCdevkit/VOC2007)')
        if split is None:
            raise ValueError(f'{images}: a VOC year folder needs a split (e.g. split="trainval")')
        return voc_split_images(images, split)
    if split is not None:
        raise ValueError('split is only meaningful with a VOC year folder, not a list of images')
    paths = [str(p) for p in images]
    if not paths:
        raise ValueError('no images given')
    return paths


def _check_unique_keys(paths: Sequence[str]) -> List[str]:
    keys = [proposal_key(p) for p in paths]
    seen: Dict[str, str] = {}
    for key, path in zip(keys, paths):
        if key in seen:
            raise ValueError(f'{path} and {seen[key]} share the proposal key {key!r} '
                             '(mmdet keys proposals by <folder>/<file>)')
        seen[key] = path
    return keys


def _save_npy_atomic(path: str, array: np.ndarray) -> None:
    os.makedirs(osp.dirname(path), exist_ok=True)
    tmp = f'{path}.{os.getpid()}.partial'
    with open(tmp, 'wb') as f:
        np.save(f, array, allow_pickle=False)
    os.replace(tmp, path)


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
    tmp = f'{settings_file}.{os.getpid()}.partial'
    with open(tmp, 'w') as f:
        json.dump(dict(settings), f, sort_keys=True)
    os.replace(tmp, settings_file)


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
            :func:`mmmotion.datasets.selective_search.selective_search`.
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
    paths = _resolve_images(images, split)
    keys = _check_unique_keys(paths)
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

    try:
        if workers == 1:
            for path, cache_path in todo:
                collect(_compute_one(path, cache_path, settings), cache_path)
        else:
            pool = futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context('spawn'),
                                               initializer=_init_worker)
            try:
                pending = {pool.submit(_compute_one, path, cache_path, settings): cache_path
                           for path, cache_path in todo}
                for future in futures.as_completed(pending):
                    collect(future.result(), pending[future])
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
            pool.shutdown()
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


# ----------------------------------------------------------------------------------------------------
# Importing existing proposal files


def _mat_string(value) -> str:
    value = np.asarray(value).ravel()
    if value.size != 1:
        raise ValueError(f'expected one image id, got {value!r}')
    return str(value[0]).strip()


def _read_mat(src_file: str) -> Tuple[List[str], List[np.ndarray]]:
    """R-CNN selective-search ``.mat``: ``images`` (ids) and ``boxes`` (y1, x1, y2, x2, 1-based)."""
    import scipy.io
    try:
        data = scipy.io.loadmat(src_file)
    except NotImplementedError as exc:  # MATLAB v7.3 (HDF5)
        raise ValueError(f'{src_file}: MATLAB v7.3 (HDF5) files are not supported; re-save it with '
                         f"save(..., '-v7') ({exc})") from exc
    except Exception as exc:  # noqa: BLE001 - scipy raises many kinds for bad files
        raise ValueError(f'{src_file}: cannot read it as a .mat file ({type(exc).__name__}: {exc})') from exc
    fields = sorted(k for k in data if not k.startswith('__'))
    for name in ('images', 'boxes'):
        if name not in data:
            raise ValueError(f'{src_file}: no {name!r} field (fields: {fields}); expected R-CNN selective '
                             'search output with images (ids) and boxes')
    try:
        ids = [_mat_string(v) for v in np.asarray(data['images']).ravel()]
    except ValueError as exc:
        raise ValueError(f'{src_file}: bad images field: {exc}') from exc
    raw_boxes = np.asarray(data['boxes'])
    if raw_boxes.dtype == object:
        raw_boxes = list(raw_boxes.ravel())
    elif len(ids) == 1:  # one image saved as a plain matrix instead of a cell array
        raw_boxes = [raw_boxes]
    else:
        raise ValueError(f'{src_file}: boxes must be a cell array with one (n, 4) matrix per image, got a '
                         f'{raw_boxes.dtype} array of shape {raw_boxes.shape}')
    if len(ids) != len(raw_boxes):
        raise ValueError(f'{src_file}: {len(ids)} images but {len(raw_boxes)} box arrays')
    converted = []
    for image_id, raw in zip(ids, raw_boxes):
        where = f'{src_file}: image {image_id}'
        raw = np.asarray(raw)
        if raw.size == 0:
            converted.append(np.zeros((0, 4), np.float32))
            continue
        if raw.ndim != 2 or raw.shape[1] != 4:
            raise ValueError(f'{where}: boxes must be (n, 4) y1, x1, y2, x2, got {raw.shape}')
        raw = raw.astype(np.float64)
        if np.isfinite(raw).all() and raw.min() < 1:
            raise ValueError(f'{where}: coordinates below 1 ({raw.min()}), but .mat boxes are 1-based '
                             '(MATLAB); is this file 0-based already?')
        converted.append(check_boxes(raw[:, [1, 0, 3, 2]] - 1, where))
    return ids, converted


def _entry_from_pickle(value, where: str) -> Tuple[np.ndarray, Optional[np.ndarray]]:
    scores = None
    if isinstance(value, Mapping) or hasattr(value, 'bboxes'):
        getter = value.get if isinstance(value, Mapping) else (lambda name: getattr(value, name, None))
        bboxes = getter('bboxes')
        if bboxes is None:
            raise ValueError(f'{where}: entry has no bboxes')
        scores = getter('scores')
    else:
        bboxes = value
    bboxes = np.asarray(bboxes)
    if bboxes.ndim == 2 and bboxes.shape[1] == 5 and scores is None:
        bboxes, scores = bboxes[:, :4], bboxes[:, 4]
    return bboxes, (None if scores is None else np.asarray(scores))


def _default_key(name: str) -> str:
    """Key for a source name when no split is given: ``folder/file`` kept, bare ids -> JPEGImages/<id>.jpg."""
    if '/' in name.replace('\\', '/'):
        return proposal_key(name)
    return f'JPEGImages/{name}' if osp.splitext(name)[1] else f'JPEGImages/{name}.jpg'


def convert_proposals(src_file: str, out_file: str, images: Optional[ImagesArg] = None,
                      split: Optional[str] = None, *, max_proposals: Optional[int] = None) -> ProposalRunSummary:
    """Import an existing proposal file and write it, validated, in mmdet's dict format.

    Args:
        src_file: R-CNN/Fast R-CNN selective-search ``.mat`` (``images`` ids and ``boxes`` y1, x1, y2, x2,
            1-based), or ``.pkl`` with a dict ``{name: dict(bboxes, scores) | (n, 4|5) array}`` or
            mmdet 2.x's list of (n, 4|5) arrays (score in column 5) in split order.
        out_file: the ``.pkl`` to write.
        images, split: the target split (a VOC year folder with ``split``, or image paths). Given, the
            output has exactly its images (extra source entries are dropped, missing ones are an error);
            source names are matched by ``folder/file``, file name or id. Required for list inputs.
        max_proposals: keep at most this many per image (the best scored first).
    """
    start = time.perf_counter()
    if not osp.isfile(src_file):
        raise FileNotFoundError(f'{src_file}: no such proposal file')
    targets = _resolve_images(images, split) if images is not None else None
    target_keys = _check_unique_keys(targets) if targets is not None else None
    extension = osp.splitext(src_file)[1].lower()
    entries: List[Tuple[str, np.ndarray, Optional[np.ndarray]]] = []  # (source name, boxes, scores)
    if extension == '.mat':
        ids, mat_boxes = _read_mat(src_file)
        entries = [(image_id, b, None) for image_id, b in zip(ids, mat_boxes)]
    elif extension in ('.pkl', '.pickle'):
        try:
            with open(src_file, 'rb') as f:
                data = pickle.load(f)
        except Exception as exc:  # noqa: BLE001
            raise ValueError(f'{src_file}: cannot unpickle it ({type(exc).__name__}: {exc})') from exc
        if isinstance(data, Mapping):
            items = [(str(name), value) for name, value in data.items()]
        elif isinstance(data, (list, tuple)):
            if target_keys is None:
                raise ValueError(f'{src_file}: a list of proposals is in split order; give the split it '
                                 'belongs to (images/split)')
            if len(data) != len(target_keys):
                raise ValueError(f'{src_file}: {len(data)} proposal arrays but the split has '
                                 f'{len(target_keys)} images')
            items = list(zip(target_keys, data))
        else:
            raise ValueError(f'{src_file}: expected a dict or a list of proposals, got {type(data).__name__}')
        for name, value in items:
            bboxes, scores = _entry_from_pickle(value, f'{src_file}: image {name}')
            entries.append((name, bboxes, scores))
    else:
        raise ValueError(f'{src_file}: unknown proposal file type {extension!r} (expected .mat or .pkl)')

    # Map source names onto output keys.
    if target_keys is None:
        named = [(_default_key(name), name, b, s) for name, b, s in entries]
    else:
        lookup: Dict[str, str] = {}
        for key in target_keys:
            file_name = osp.basename(key)
            for alias in (key, file_name, osp.splitext(file_name)[0]):
                lookup.setdefault(alias, key)
        named = []
        for name, b, s in entries:
            base = osp.basename(name.replace('\\', '/'))
            for alias in (name, proposal_key(name) if '/' in name else None, base, osp.splitext(base)[0]):
                if alias is not None and alias in lookup:
                    named.append((lookup[alias], name, b, s))
                    break
    by_key: Dict[str, Tuple[str, np.ndarray, Optional[np.ndarray]]] = {}
    for key, name, b, s in named:
        if key in by_key:
            raise ValueError(f'{src_file}: images {by_key[key][0]!r} and {name!r} both map to {key!r}')
        by_key[key] = (name, b, s)
    if target_keys is not None:
        missing = [key for key in target_keys if key not in by_key]
        if missing:
            raise ValueError(f'{src_file}: no proposals for {len(missing)} of {len(target_keys)} images of the '
                             f'split, e.g. {missing[:5]}')
        dropped = len(entries) - len(target_keys)
        if dropped:
            logger.info('%s: ignoring %d entries for images outside the split', src_file, dropped)
    out_keys = target_keys if target_keys is not None else list(by_key)

    proposals = {}
    summary = ProposalRunSummary(out_file=out_file, num_images=len(out_keys))
    for key in out_keys:
        name, raw_boxes, scores = by_key[key]
        where = f'{src_file}: image {name}'
        bboxes = check_boxes(raw_boxes, where)
        if scores is None:
            scores = rank_scores(len(bboxes))
        else:
            scores = np.asarray(scores, np.float32).reshape(-1)
            if len(scores) != len(bboxes) or not np.isfinite(scores).all():
                raise ValueError(f'{where}: {len(scores)} scores (finite: {np.isfinite(scores).all()}) for '
                                 f'{len(bboxes)} boxes')
            order = np.argsort(-scores, kind='stable')
            bboxes, scores = bboxes[order], scores[order]
        if max_proposals is not None:
            bboxes, scores = bboxes[:max_proposals], scores[:max_proposals]
        proposals[key] = dict(bboxes=bboxes, scores=scores)
        summary.num_proposals.append(len(bboxes))
    save_proposals(proposals, out_file)
    summary.wall_seconds = time.perf_counter() - start
    return summary


# ----------------------------------------------------------------------------------------------------
# Evaluation


def voc_gt_boxes(image_paths: Sequence[str]) -> Optional[Dict[str, np.ndarray]]:
    """Ground-truth boxes ``{proposal key: (k, 4)}`` from ``<year>/Annotations/<id>.xml`` next to
    ``<year>/JPEGImages``; None when any image has no annotation file."""
    from mmmotion.datasets.toy_voc import read_voc_boxes
    gt = {}
    for path in image_paths:
        year_root = osp.dirname(osp.dirname(osp.abspath(path)))
        image_id = osp.splitext(osp.basename(path))[0]
        if not osp.isfile(osp.join(year_root, 'Annotations', f'{image_id}.xml')):
            return None
        gt[proposal_key(path)] = read_voc_boxes(year_root, image_id)
    return gt


def proposal_recall(proposals: Mapping[str, Mapping[str, np.ndarray]], gt_boxes: Mapping[str, np.ndarray],
                    iou_thr: float = 0.5, top_k: Optional[int] = None) -> float:
    """Fraction of ground-truth boxes (over all images of ``gt_boxes``) that some proposal (of the first
    ``top_k``) overlaps with IoU >= ``iou_thr``; nan when there are no ground-truth boxes."""
    from mmdet.evaluation.functional import bbox_overlaps
    found = total = 0
    for key, gt in gt_boxes.items():
        gt = np.asarray(gt, np.float32).reshape(-1, 4)
        total += len(gt)
        entry = proposals.get(key)
        if entry is None or not len(gt):
            continue
        boxes = np.asarray(entry['bboxes'], np.float32).reshape(-1, 4)[:top_k]
        if len(boxes):
            # Inclusive pixel coordinates, as VOC: widths are x2 - x1 + 1.
            ious = bbox_overlaps(gt, boxes, use_legacy_coordinate=True)
            found += int((ious.max(axis=1) >= iou_thr).sum())
    return found / total if total else float('nan')
