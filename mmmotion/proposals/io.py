"""Reading and writing proposals in the format mmdet's ``proposal_file`` expects, and the VOC files
(split lists, box annotations) they are made for.

mmdet looks proposals up by ``<image folder name>/<image file name>`` (e.g. ``JPEGImages/000001.jpg``)
and needs exactly one entry per image of the split.
"""
import os.path as osp
import pickle
import xml.etree.ElementTree as ET
from typing import Dict, List, Optional, Sequence, Union

import numpy as np

from mmmotion.utils.fileio import atomic_writer

ImagesArg = Union[str, Sequence[str]]


def proposal_key(image_path: str) -> str:
    """The key mmdet uses for an image: its folder name and file name."""
    return osp.join(osp.basename(osp.dirname(image_path)), osp.basename(image_path))


def rank_scores(num: int) -> np.ndarray:
    """Scores for ``num`` ranked proposals without scores of their own: 1, (n-1)/n, ..., 1/n.

    mmdet's ``LoadProposals(num_max_proposals=k)`` keeps the first k, so files list the best first.
    """
    return ((num - np.arange(num)) / max(num, 1)).astype(np.float32)


def check_boxes(boxes: np.ndarray, where: str) -> np.ndarray:
    """Return ``boxes`` as (n, 4) float32 x1y1x2y2, or raise ValueError naming ``where`` (file, image).

    Accepts an empty array of any shape with no elements; rejects wrong shapes, non-finite values
    and boxes with x2 < x1 or y2 < y1.
    """
    boxes = np.asarray(boxes)
    if boxes.size == 0:
        return np.zeros((0, 4), np.float32)
    if boxes.ndim != 2 or boxes.shape[1] != 4:
        raise ValueError(f'{where}: boxes must be (n, 4), got {boxes.shape}')
    if not np.issubdtype(boxes.dtype, np.number):
        raise ValueError(f'{where}: boxes must be numbers, got dtype {boxes.dtype}')
    boxes = boxes.astype(np.float32)
    if not np.isfinite(boxes).all():
        raise ValueError(f'{where}: boxes contain NaN or infinite values')
    bad = np.nonzero((boxes[:, 2] < boxes[:, 0]) | (boxes[:, 3] < boxes[:, 1]))[0]
    if len(bad):
        raise ValueError(f'{where}: {len(bad)} boxes have x2 < x1 or y2 < y1 (first: row {bad[0]}, '
                         f'{boxes[bad[0]].tolist()}); expected x1, y1, x2, y2')
    return boxes


def save_proposals(proposals: Dict[str, Dict[str, np.ndarray]], path: str) -> None:
    """Write ``{key: dict(bboxes=(n, 4) float32 x1y1x2y2, scores=(n,) float32)}`` atomically."""
    for key, item in proposals.items():
        boxes = np.asarray(item['bboxes'])
        if boxes.ndim != 2 or boxes.shape[1] != 4:
            raise ValueError(f'proposals for {key}: bboxes must be (n, 4), got {boxes.shape}')
    with atomic_writer(path) as f:
        pickle.dump(proposals, f, protocol=pickle.HIGHEST_PROTOCOL)


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


def read_voc_boxes(year_root: str, image_id: str) -> np.ndarray:
    """Ground-truth boxes (n, 4) float32 x1, y1, x2, y2 (0-based, as mmdet reads them) of one image."""
    tree = ET.parse(osp.join(year_root, 'Annotations', f'{image_id}.xml'))
    boxes = [[float(obj.find('bndbox').find(key).text) - 1 for key in ('xmin', 'ymin', 'xmax', 'ymax')]
             for obj in tree.findall('object')]
    return np.array(boxes, np.float32).reshape(-1, 4)


def resolve_images(images: ImagesArg, split: Optional[str]) -> List[str]:
    """The image paths of a VOC year folder's split, or of a list of images."""
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


def check_unique_keys(paths: Sequence[str]) -> List[str]:
    """The proposal keys of ``paths``; two images with one key are an error."""
    keys = [proposal_key(p) for p in paths]
    seen: Dict[str, str] = {}
    for key, path in zip(keys, paths):
        if key in seen:
            raise ValueError(f'{path} and {seen[key]} share the proposal key {key!r} '
                             '(mmdet keys proposals by <folder>/<file>)')
        seen[key] = path
    return keys
