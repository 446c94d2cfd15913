"""A small PASCAL-VOC-layout dataset that mmmotion generates, so every transfer benchmark runs on a CPU.

Shapes of a few classes are pasted on crops of scikit-image's real photos. Each image gets boxes
(Annotations/*.xml), class-segmentation PNGs (SegmentationClass/*.png, palette mode as in VOC) and split
files (ImageSets/Main and ImageSets/Segmentation), so mmdet's ``VOCDataset``, mmseg's segmentation
datasets and mmpretrain's multi-label ``VOC`` read it unchanged.

Two styles (:data:`TOY_STYLES`):

- ``'shapes'``: 3 upright shapes, each with its own colour and pattern; colour alone names the class.
- ``'photo'``: 6 shapes at random rotations over 0-3 distractor blobs (labelled background), every one of
  them textured with a random crop of the same real photos as the backgrounds, in a random saturated colour
  (:func:`tinted_photo_crop`). Colour and texture make a surface stand out but say nothing of its class or
  whether it is an object; only the outline does, so the task needs shape features rather than colour.
"""
import os
import os.path as osp
import xml.etree.ElementTree as ET
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np
from PIL import Image

from mmmotion.proposals.io import read_voc_boxes  # noqa: F401 (the toy data's boxes, read as VOC's)
from mmmotion.testing.synthetic import blob_shape

TOY_CLASSES: Tuple[str, ...] = ('disk', 'square', 'triangle')
TOY_PALETTE: Tuple[Tuple[int, int, int], ...] = ((0, 0, 0), (220, 20, 60), (0, 128, 255), (255, 200, 0))
PHOTO_CLASSES: Tuple[str, ...] = ('disk', 'ring', 'triangle', 'square', 'star', 'cross')
PHOTO_PALETTE: Tuple[Tuple[int, int, int], ...] = TOY_PALETTE + ((0, 170, 80), (150, 60, 200), (255, 120, 0))
# style -> classes, palette (background first), how objects are textured, most distractor blobs per image
TOY_STYLES: Dict[str, dict] = {
    'shapes': dict(classes=TOY_CLASSES, palette=TOY_PALETTE, texture='class', clutter=0),
    'photo': dict(classes=PHOTO_CLASSES, palette=PHOTO_PALETTE, texture='photo', clutter=3),
}

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


def _polygon(corners: int, radius: float, angle: float, inner: Optional[float] = None) -> np.ndarray:
    """(k, 2) vertices of a regular polygon (or a star with ``inner`` radius between its points) about 0."""
    steps = corners * (2 if inner else 1)
    theta = angle + 2 * np.pi * np.arange(steps) / steps
    radii = np.where(np.arange(steps) % 2, inner, 1.0) * radius if inner else np.full(steps, radius)
    return np.stack([radii * np.cos(theta), radii * np.sin(theta)], 1)


def rotated_shape_mask(name: str, size: int, angle: float) -> np.ndarray:
    """(size, size) bool mask of a :data:`PHOTO_CLASSES` shape rotated by ``angle`` (radians), inscribed in
    the box's circle so that no rotation clips it."""
    mask = np.zeros((size, size), np.uint8)
    centre, radius = (size - 1) / 2, size / 2 - 1
    if name in ('disk', 'ring'):
        cv2.circle(mask, (size // 2, size // 2), int(radius), 1, -1)
        if name == 'ring':
            cv2.circle(mask, (size // 2, size // 2), int(radius / 2), 0, -1)
        return mask.astype(bool)
    if name == 'cross':  # a plus sign: arms of half-width 0.3 r
        w = 0.3 * radius
        points = np.array([(w, w), (radius * 0.95, w), (radius * 0.95, -w), (w, -w), (w, -radius * 0.95),
                           (-w, -radius * 0.95), (-w, -w), (-radius * 0.95, -w), (-radius * 0.95, w), (-w, w),
                           (-w, radius * 0.95), (w, radius * 0.95)])
        rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        points = points @ rotation.T
    else:
        corners, inner = dict(triangle=(3, None), square=(4, None), star=(5, 0.45))[name]
        points = _polygon(corners, radius, angle, inner)
    cv2.fillPoly(mask, [np.round(points + centre).astype(np.int32)], 1)
    return mask.astype(bool)


def tinted_photo_crop(rng: np.random.Generator, photos: Sequence[np.ndarray], size: int) -> np.ndarray:
    """A (size, size, 3) random photo crop's luminance in a random saturated colour: a textured surface that
    stands out from a photo background while its colour says nothing about what it is."""
    grey = background_crop(rng, photos, (size, size)).astype(np.float32).mean(-1, keepdims=True) / 255
    hsv = np.uint8([[[int(rng.integers(180)), int(rng.integers(170, 256)), 255]]])
    colour = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)[0, 0].astype(np.float32)
    return np.clip((0.35 + 0.9 * grey) * colour, 0, 255).astype(np.uint8)


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
                     size_range: Tuple[int, int] = (48, 96),
                     style: str = 'shapes') -> Tuple[np.ndarray, np.ndarray, List[dict]]:
    """Render one image in ``style`` (a key of :data:`TOY_STYLES`).

    Returns:
        image (h, w, 3) uint8 RGB, class map (h, w) uint8 (0 = background, k = class k-1), and a list
        of objects ``dict(label=int, bbox=(x1, y1, x2, y2))`` (VOC pixel boxes, inclusive, 1-based).
    """
    spec = TOY_STYLES[style]
    height, width = image_size
    image = background_crop(rng, backgrounds, image_size)
    class_map = np.zeros((height, width), np.uint8)
    for _ in range(int(rng.integers(0, spec['clutter'] + 1)) if spec['clutter'] else 0):
        size = int(rng.integers(size_range[0], min(size_range[1], height, width) + 1))
        top, left = int(rng.integers(height - size + 1)), int(rng.integers(width - size + 1))
        blob = blob_shape(size, size, rng, irregularity=0.5)
        image[top:top + size, left:left + size][blob] = tinted_photo_crop(rng, backgrounds, size)[blob]
    objects = []
    for _ in range(int(rng.integers(1, max_objects + 1))):
        label = int(rng.integers(len(spec['classes'])))
        size = int(rng.integers(size_range[0], min(size_range[1], height, width) + 1))
        top = int(rng.integers(height - size + 1))
        left = int(rng.integers(width - size + 1))
        window = (slice(top, top + size), slice(left, left + size))
        if spec['texture'] == 'class':
            mask = _shape_mask(label, size)
            image[window][mask] = _texture(label, size, rng)[mask]
        else:
            mask = rotated_shape_mask(spec['classes'][label], size, float(rng.uniform(0, 2 * np.pi)))
            image[window][mask] = tinted_photo_crop(rng, backgrounds, size)[mask]
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


def _write_xml(path: str, image_name: str, image_size: Tuple[int, int], objects: List[dict],
               classes: Sequence[str] = TOY_CLASSES) -> None:
    root = ET.Element('annotation')
    ET.SubElement(root, 'filename').text = image_name
    size = ET.SubElement(root, 'size')
    for key, value in (('width', image_size[1]), ('height', image_size[0]), ('depth', 3)):
        ET.SubElement(size, key).text = str(value)
    ET.SubElement(root, 'segmented').text = '1'
    for obj in objects:
        node = ET.SubElement(root, 'object')
        ET.SubElement(node, 'name').text = classes[obj['label']]
        ET.SubElement(node, 'pose').text = 'Unspecified'
        ET.SubElement(node, 'truncated').text = '0'
        ET.SubElement(node, 'difficult').text = '0'
        box = ET.SubElement(node, 'bndbox')
        for key, value in zip(('xmin', 'ymin', 'xmax', 'ymax'), obj['bbox']):
            ET.SubElement(box, key).text = str(value)
    ET.ElementTree(root).write(path)


def make_toy_voc(root: str, splits: Dict[str, int] = None, image_size: Tuple[int, int] = (192, 256),
                 seed: int = 0, year: str = 'VOC2007', style: str = 'shapes') -> str:
    """Write a toy dataset in VOC layout under ``root/<year>`` and return that folder.

    Args:
        root: the ``VOCdevkit``-like folder.
        splits: images per split, default ``{'train': 24, 'val': 12, 'test': 12}``; ``trainval``
            is written as train + val.
        image_size: (height, width) of every image.
        seed: the same seed gives the same files.
        style: a key of :data:`TOY_STYLES` (its classes are the XML names, its palette the PNGs').
    """
    if style not in TOY_STYLES:
        raise KeyError(f'unknown toy VOC style {style!r}; one of {sorted(TOY_STYLES)}')
    spec = TOY_STYLES[style]
    splits = splits or {'train': 24, 'val': 12, 'test': 12}
    rng = np.random.default_rng(seed)
    backgrounds = _background_photos()
    year_root = osp.join(root, year)
    for sub in ('JPEGImages', 'Annotations', 'SegmentationClass', 'ImageSets/Main', 'ImageSets/Segmentation'):
        os.makedirs(osp.join(year_root, sub), exist_ok=True)
    palette = np.zeros((256, 3), np.uint8)
    palette[:len(spec['palette'])] = spec['palette']
    palette[255] = (224, 224, 192)
    ids: Dict[str, List[str]] = {}
    counter = 0
    for split, count in splits.items():
        ids[split] = []
        for _ in range(count):
            counter += 1
            image_id = f'{counter:06d}'
            image, class_map, objects = render_toy_image(rng, backgrounds, image_size, style=style)
            Image.fromarray(image).save(osp.join(year_root, 'JPEGImages', f'{image_id}.jpg'), quality=95)
            seg = Image.fromarray(class_map, mode='P')
            seg.putpalette(palette.flatten().tolist())
            seg.save(osp.join(year_root, 'SegmentationClass', f'{image_id}.png'))
            _write_xml(osp.join(year_root, 'Annotations', f'{image_id}.xml'), f'{image_id}.jpg',
                       image_size, objects, spec['classes'])
            ids[split].append(image_id)
    if 'train' in ids and 'val' in ids:
        ids['trainval'] = ids['train'] + ids['val']
    for split, split_ids in ids.items():
        for sub in ('Main', 'Segmentation'):
            with open(osp.join(year_root, 'ImageSets', sub, f'{split}.txt'), 'w') as f:
                f.write('\n'.join(split_ids) + '\n')
    return year_root
