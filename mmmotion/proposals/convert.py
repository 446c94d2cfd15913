"""Importing existing proposal files: R-CNN / Fast R-CNN selective-search ``.mat`` files and mmdet
``.pkl`` files (the dict format, or mmdet 2.x's list of (n, 4|5) arrays in split order)."""
import logging
import os.path as osp
import pickle
import time
from typing import Dict, List, Mapping, Optional, Tuple

import numpy as np

from .io import ImagesArg, check_boxes, check_unique_keys, proposal_key, rank_scores, resolve_images, save_proposals
from .summary import ProposalRunSummary

logger = logging.getLogger('mmmotion.proposals')


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
    targets = resolve_images(images, split) if images is not None else None
    target_keys = check_unique_keys(targets) if targets is not None else None
    entries = _read_entries(src_file, target_keys)
    by_key = _match_keys(src_file, entries, target_keys)
    out_keys = target_keys if target_keys is not None else list(by_key)
    proposals = {}
    summary = ProposalRunSummary(out_file=out_file, num_images=len(out_keys))
    for key in out_keys:
        name, raw_boxes, scores = by_key[key]
        proposals[key] = _validated(raw_boxes, scores, f'{src_file}: image {name}', max_proposals)
        summary.num_proposals.append(len(proposals[key]['bboxes']))
    save_proposals(proposals, out_file)
    summary.wall_seconds = time.perf_counter() - start
    return summary


Entry = Tuple[str, np.ndarray, Optional[np.ndarray]]  # (source name, boxes, scores or None)


def _read_entries(src_file: str, target_keys: Optional[List[str]]) -> List[Entry]:
    """The entries of a ``.mat`` or ``.pkl`` proposal file (a list in split order needs the split's keys)."""
    extension = osp.splitext(src_file)[1].lower()
    if extension == '.mat':
        ids, mat_boxes = _read_mat(src_file)
        return [(image_id, b, None) for image_id, b in zip(ids, mat_boxes)]
    if extension not in ('.pkl', '.pickle'):
        raise ValueError(f'{src_file}: unknown proposal file type {extension!r} (expected .mat or .pkl)')
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
    return [(name, *_entry_from_pickle(value, f'{src_file}: image {name}')) for name, value in items]


def _match_keys(src_file: str, entries: List[Entry], target_keys: Optional[List[str]]) -> Dict[str, Entry]:
    """Output key -> entry: source names matched onto the split's keys by ``folder/file``, file name or id
    (every image of the split needs one; entries outside it are dropped), or keyed by name alone."""
    if target_keys is None:
        named = [(_default_key(name), (name, b, s)) for name, b, s in entries]
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
                    named.append((lookup[alias], (name, b, s)))
                    break
    by_key: Dict[str, Entry] = {}
    for key, entry in named:
        if key in by_key:
            raise ValueError(f'{src_file}: images {by_key[key][0]!r} and {entry[0]!r} both map to {key!r}')
        by_key[key] = entry
    if target_keys is not None:
        missing = [key for key in target_keys if key not in by_key]
        if missing:
            raise ValueError(f'{src_file}: no proposals for {len(missing)} of {len(target_keys)} images of the '
                             f'split, e.g. {missing[:5]}')
        dropped = len(entries) - len(target_keys)
        if dropped:
            logger.info('%s: ignoring %d entries for images outside the split', src_file, dropped)
    return by_key


def _validated(raw_boxes, scores, where: str, max_proposals: Optional[int]) -> Dict[str, np.ndarray]:
    """Checked boxes, best first, with scores (rank scores when the source has none), cut to
    ``max_proposals``."""
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
    return dict(bboxes=bboxes, scores=scores)
