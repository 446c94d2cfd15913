"""A small PASCAL-VOC-layout dataset that mmmotion generates, so every transfer benchmark runs on a CPU.

Textured shapes of a few classes are pasted on crops of scikit-image's real photos. Each image gets
boxes (Annotations/*.xml), class-segmentation PNGs (SegmentationClass/*.png, palette mode as in VOC)
and split files (ImageSets/Main and ImageSets/Segmentation), so mmdet's ``VOCDataset``, mmseg's
segmentation datasets and mmpretrain's multi-label ``VOC`` read it unchanged.
"""
import os
import os.path as osp
import xml.etree.ElementTree as ET
from typing import Dict, List, Sequence, Tuple

import cv2
import numpy as np
from PIL import Image

from mmmotion.proposals.io import read_voc_boxes  # noqa: F401 (the toy data's boxes, read as VOC's)

TOY_CLASSES: Tuple[str, ...] = ('disk', 'square', 'triangle')
TOY_PALETTE: Tuple[Tuple[int, int, int], ...] = ((0, 0, 0), (220, 20, 60), (0, 128, 255), (255, 200, 0))

_BACKGROUNDS = ('astronaut', 'coffee', 'chelsea', 'rocket', 'hubble_deep_field', 'immunohistochemistry')


def _background_photos() -> List[np.ndarray]:
    from skimage import data
    return [getattr(data, name)()[..., :3] for name in _BACKGROUNDS]


def _texture(class_index: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """A class-specific colour and pattern (stripes, checks, dots) so classes differ in appearance."""
    yy, xx = np.mgrid[:size, :size]
    period = int(rng.integers(6, 10))
    if class_index == 0:
        pattern = ((xx + yy) // period) % 2
    elif class_index == 1:
        pattern = ((xx // period) + (yy // period)) % 2
    else:
        pattern = (((xx % period) - period / 2) ** 2 + ((yy % period) - period / 2) ** 2) < (period / 3) ** 2
    base = np.array(TOY_PALETTE[class_index + 1], np.float32)
    tint = base * (0.75 + 0.25 * rng.random())
    image = np.where(pattern[..., None], tint, tint * 0.35)
    return np.clip(image, 0, 255).astype(np.uint8)


def _shape_mask(class_index: int, size: int) -> np.ndarray:
    mask = np.zeros((size, size), np.uint8)
    if class_index == 0:
        cv2.circle(mask, (size // 2, size // 2), size // 2 - 1, 1, -1)
    elif class_index == 1:
        mask[size // 8:size - size // 8, size // 8:size - size // 8] = 1
    else:
        points = np.array([[size // 2, 0], [size - 1, size - 1], [0, size - 1]], np.int32)
        cv2.fillPoly(mask, [points], 1)
    return mask.astype(bool)


def background_crop(rng: np.random.Generator, backgrounds: Sequence[np.ndarray],
                    image_size: Tuple[int, int]) -> np.ndarray:
    """A random (h, w, 3) crop of one of ``backgrounds``, upscaled by a random factor of 1-2 beyond cover size."""
    height, width = image_size
    photo = backgrounds[int(rng.integers(len(backgrounds)))]
    scale = max(height / photo.shape[0], width / photo.shape[1]) * (1 + rng.random())
    photo = cv2.resize(photo, (int(np.ceil(photo.shape[1] * scale)), int(np.ceil(photo.shape[0] * scale))))
    y0 = int(rng.integers(photo.shape[0] - height + 1))
    x0 = int(rng.integers(photo.shape[1] - width + 1))
    return photo[y0:y0 + height, x0:x0 + width].copy()


def render_toy_image(rng: np.random.Generator, backgrounds: Sequence[np.ndarray],
                     image_size: Tuple[int, int] = (192, 256), max_objects: int = 3,
                     size_range: Tuple[int, int] = (48, 96)) -> Tuple[np.ndarray, np.ndarray, List[dict]]:
    """Render one image.

    Returns:
        image (h, w, 3) uint8 RGB, class map (h, w) uint8 (0 = background, k = class k-1), and a list
        of objects ``dict(label=int, bbox=(x1, y1, x2, y2))`` (VOC pixel boxes, inclusive, 1-based).
    """
    height, width = image_size
    image = background_crop(rng, backgrounds, image_size)
    class_map = np.zeros((height, width), np.uint8)
    objects = []
    for _ in range(int(rng.integers(1, max_objects + 1))):
        label = int(rng.integers(len(TOY_CLASSES)))
        size = int(rng.integers(size_range[0], min(size_range[1], height, width) + 1))
        top = int(rng.integers(height - size + 1))
        left = int(rng.integers(width - size + 1))
        mask = _shape_mask(label, size)
        window = (slice(top, top + size), slice(left, left + size))
        image[window][mask] = _texture(label, size, rng)[mask]
        class_map[window][mask] = label + 1
        objects.append(dict(label=label, mask=(window, mask)))
    # Later objects occlude earlier ones: boxes come from what stays visible.
    kept = []
    for index, obj in enumerate(objects):
        window, mask = obj['mask']
        visible = np.zeros((height, width), bool)
        visible[window] = mask
        for later in objects[index + 1:]:
            later_window, later_mask = later['mask']
            visible[later_window] &= ~later_mask
        if visible.sum() < 0.3 * mask.sum():
            continue
        ys, xs = np.nonzero(visible)
        kept.append(dict(label=obj['label'],
                         bbox=(int(xs.min()) + 1, int(ys.min()) + 1, int(xs.max()) + 1, int(ys.max()) + 1)))
    return image, class_map, kept


def _write_xml(path: str, image_name: str, image_size: Tuple[int, int], objects: List[dict]) -> None:
    root = ET.Element('annotation')
    ET.SubElement(root, 'filename').text = image_name
    size = ET.SubElement(root, 'size')
    for key, value in (('width', image_size[1]), ('height', image_size[0]), ('depth', 3)):
        ET.SubElement(size, key).text = str(value)
    ET.SubElement(root, 'segmented').text = '1'
    for obj in objects:
        node = ET.SubElement(root, 'object')
        ET.SubElement(node, 'name').text = TOY_CLASSES[obj['label']]
        ET.SubElement(node, 'pose').text = 'Unspecified'
        ET.SubElement(node, 'truncated').text = '0'
        ET.SubElement(node, 'difficult').text = '0'
        box = ET.SubElement(node, 'bndbox')
        for key, value in zip(('xmin', 'ymin', 'xmax', 'ymax'), obj['bbox']):
            ET.SubElement(box, key).text = str(value)
    ET.ElementTree(root).write(path)


def make_toy_voc(root: str, splits: Dict[str, int] = None, image_size: Tuple[int, int] = (192, 256),
                 seed: int = 0, year: str = 'VOC2007') -> str:
    """Write a toy dataset in VOC layout under ``root/<year>`` and return that folder.

    Args:
        root: the ``VOCdevkit``-like folder.
        splits: images per split, default ``{'train': 24, 'val': 12, 'test': 12}``; ``trainval``
            is written as train + val.
        image_size: (height, width) of every image.
        seed: the same seed gives the same files.
    """
    splits = splits or {'train': 24, 'val': 12, 'test': 12}
    rng = np.random.default_rng(seed)
    backgrounds = _background_photos()
    year_root = osp.join(root, year)
    for sub in ('JPEGImages', 'Annotations', 'SegmentationClass', 'ImageSets/Main', 'ImageSets/Segmentation'):
        os.makedirs(osp.join(year_root, sub), exist_ok=True)
    palette = np.zeros((256, 3), np.uint8)
    palette[:len(TOY_PALETTE)] = TOY_PALETTE
    palette[255] = (224, 224, 192)
    ids: Dict[str, List[str]] = {}
    counter = 0
    for split, count in splits.items():
        ids[split] = []
        for _ in range(count):
            counter += 1
            image_id = f'{counter:06d}'
            image, class_map, objects = render_toy_image(rng, backgrounds, image_size)
            Image.fromarray(image).save(osp.join(year_root, 'JPEGImages', f'{image_id}.jpg'), quality=95)
            seg = Image.fromarray(class_map, mode='P')
            seg.putpalette(palette.flatten().tolist())
            seg.save(osp.join(year_root, 'SegmentationClass', f'{image_id}.png'))
            _write_xml(osp.join(year_root, 'Annotations', f'{image_id}.xml'), f'{image_id}.jpg',
                       image_size, objects)
            ids[split].append(image_id)
    if 'train' in ids and 'val' in ids:
        ids['trainval'] = ids['train'] + ids['val']
    for split, split_ids in ids.items():
        for sub in ('Main', 'Segmentation'):
            with open(osp.join(year_root, 'ImageSets', sub, f'{split}.txt'), 'w') as f:
                f.write('\n'.join(split_ids) + '\n')
    return year_root
