"""A small copy of the Stanford 40 Actions layout that mmmotion generates, for CPU tests and toy benchmarks.

Each image holds one salient textured shape (its "action" is the shape's class) on a crop of one of
scikit-image's real photos, at a random image size as in the real data. The files follow the official
release (see :mod:`mmmotion.datasets.stanford40`): ``JPEGImages/<action>_<NNN>.jpg``,
``ImageSplits/{actions,train,test,<action>_train,<action>_test}.txt`` and ``XMLAnnotations/*.xml``
with the object's box as the "person" box.
"""
import os
import os.path as osp
import xml.etree.ElementTree as ET
from typing import Sequence, Tuple

import numpy as np
from PIL import Image

from mmmotion.testing.toy_voc import TOY_CLASSES, _background_photos, _shape_mask, _texture, background_crop

TOY_ACTIONS: Tuple[str, ...] = TOY_CLASSES


def render_action_image(rng: np.random.Generator, backgrounds: Sequence[np.ndarray], class_index: int,
                        image_size: Tuple[int, int]) -> Tuple[np.ndarray, Tuple[int, int, int, int]]:
    """One image with a single large shape of class ``class_index`` (a toy class of ``toy_voc``).

    Returns:
        the (h, w, 3) uint8 RGB image and the shape's box (x1, y1, x2, y2), 1-based inclusive pixels.
    """
    height, width = image_size
    image = background_crop(rng, backgrounds, image_size)
    short = min(height, width)
    size = int(rng.integers(short // 3, short * 3 // 4 + 1))
    top = int(rng.integers(height - size + 1))
    left = int(rng.integers(width - size + 1))
    mask = _shape_mask(class_index, size)
    image[top:top + size, left:left + size][mask] = _texture(class_index, size, rng)[mask]
    ys, xs = np.nonzero(mask)
    box = (left + int(xs.min()) + 1, top + int(ys.min()) + 1, left + int(xs.max()) + 1, top + int(ys.max()) + 1)
    return image, box


def _write_annotation(path: str, image_name: str, action: str, image_size: Tuple[int, int],
                      box: Tuple[int, int, int, int]) -> None:
    root = ET.Element('annotation')
    ET.SubElement(root, 'filename').text = image_name
    size = ET.SubElement(root, 'size')
    for key, value in (('depth', 3), ('height', image_size[0]), ('width', image_size[1])):
        ET.SubElement(size, key).text = str(value)
    obj = ET.SubElement(root, 'object')
    ET.SubElement(obj, 'action').text = action
    bndbox = ET.SubElement(obj, 'bndbox')
    for key, value in zip(('xmin', 'ymin', 'xmax', 'ymax'), box):
        ET.SubElement(bndbox, key).text = str(value)
    ET.SubElement(obj, 'name').text = 'person'
    ET.ElementTree(root).write(path)


def make_toy_stanford40(root: str, actions: Sequence[str] = TOY_ACTIONS, train_per_action: int = 12,
                        test_per_action: int = 6, seed: int = 0,
                        height_range: Tuple[int, int] = (180, 260),
                        width_range: Tuple[int, int] = (200, 320)) -> str:
    """Write a toy Stanford 40 Actions copy under ``root`` and return ``root``.

    Args:
        root: the dataset folder (``JPEGImages``, ``ImageSplits``, ``XMLAnnotations`` go in it).
        actions: action names; the i-th action is drawn as the i-th toy shape (at most
            ``len(TOY_CLASSES)`` actions).
        train_per_action, test_per_action: images per action in each split.
        seed: the same seed gives the same files.
        height_range, width_range: image sizes are drawn uniformly in these (inclusive) ranges.
    """
    if not 0 < len(actions) <= len(TOY_CLASSES):
        raise ValueError(f'make_toy_stanford40 draws 1..{len(TOY_CLASSES)} actions (one per toy shape), '
                         f'got {len(actions)}')
    bad = [action for action in actions if not action or any(c.isspace() for c in action)]
    if bad:
        raise ValueError(f'action names must be non-empty without spaces, got {bad}')
    rng = np.random.default_rng(seed)
    backgrounds = _background_photos()
    for sub in ('JPEGImages', 'ImageSplits', 'XMLAnnotations'):
        os.makedirs(osp.join(root, sub), exist_ok=True)
    splits = {'train': [], 'test': []}
    for class_index, action in enumerate(actions):
        names = [f'{action}_{number:03d}.jpg' for number in range(1, train_per_action + test_per_action + 1)]
        per_action = {'train': names[:train_per_action], 'test': names[train_per_action:]}
        for name in names:
            image_size = (int(rng.integers(height_range[0], height_range[1] + 1)),
                          int(rng.integers(width_range[0], width_range[1] + 1)))
            image, box = render_action_image(rng, backgrounds, class_index, image_size)
            Image.fromarray(image).save(osp.join(root, 'JPEGImages', name), quality=95)
            _write_annotation(osp.join(root, 'XMLAnnotations', osp.splitext(name)[0] + '.xml'), name, action,
                              image_size, box)
        for split, split_names in per_action.items():
            with open(osp.join(root, 'ImageSplits', f'{action}_{split}.txt'), 'w') as f:
                f.write('\n'.join(split_names) + '\n')
            splits[split] += split_names
    for split, names in splits.items():
        with open(osp.join(root, 'ImageSplits', f'{split}.txt'), 'w') as f:
            f.write('\n'.join(names) + '\n')
    with open(osp.join(root, 'ImageSplits', 'actions.txt'), 'w') as f:
        f.write('action_name\tnumber_of_images\n')
        f.writelines(f'{action}\t{train_per_action + test_per_action}\n' for action in actions)
    return root
