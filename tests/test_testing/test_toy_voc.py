"""The photo style of the toy VOC: shapes cut from photos at any rotation, distractor blobs, VOC layout."""
import os.path as osp
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from mmmotion.testing.toy_voc import (PHOTO_CLASSES, TOY_CLASSES, _background_photos, make_toy_voc,
                                      render_toy_image, rotated_shape_mask)


@pytest.mark.parametrize('name', PHOTO_CLASSES)
def test_rotated_shapes_stay_inside_their_box_and_keep_their_area(name):
    size = 64
    yy, xx = np.mgrid[:size, :size]
    outside = np.hypot(yy - (size - 1) / 2, xx - (size - 1) / 2) > size / 2
    areas = []
    for angle in np.linspace(0, 2 * np.pi, 13):
        mask = rotated_shape_mask(name, size, angle)
        assert not (mask & outside).any(), f'{name} at {angle:.2f} rad leaves its circle'
        areas.append(mask.sum())
    assert min(areas) > 0.15 * size * size
    assert max(areas) - min(areas) <= 0.06 * np.mean(areas), (name, areas)


def test_shapes_differ_from_each_other():
    masks = {n: rotated_shape_mask(n, 64, 0.3) for n in PHOTO_CLASSES}
    for a in PHOTO_CLASSES:
        for b in PHOTO_CLASSES:
            if a < b:
                iou = (masks[a] & masks[b]).sum() / (masks[a] | masks[b]).sum()
                assert iou < 0.8, (a, b, iou)


def test_photo_objects_carry_no_class_colour():
    """Each class's objects take their pixels from random photo crops: the mean colour of one class's
    objects varies as much as the class-coloured shapes' colours differ between classes."""
    rng, photos = np.random.default_rng(0), _background_photos()
    colours = {name: [] for name in PHOTO_CLASSES}
    for _ in range(40):
        image, class_map, _ = render_toy_image(rng, photos, style='photo')
        for label in range(1, len(PHOTO_CLASSES) + 1):
            if (class_map == label).sum() > 200:
                colours[PHOTO_CLASSES[label - 1]].append(image[class_map == label].mean(0))
    spread = np.mean([np.std(np.array(c), axis=0).mean() for c in colours.values() if len(c) > 2])
    assert spread > 20, spread


def test_photo_style_voc_layout(tmp_path):
    year = make_toy_voc(str(tmp_path), splits={'train': 4, 'val': 2, 'test': 3}, seed=1, style='photo')
    ids = open(osp.join(year, 'ImageSets', 'Main', 'trainval.txt')).read().split()
    assert len(ids) == 6
    names, values = set(), set()
    for image_id in ids:
        root = ET.parse(osp.join(year, 'Annotations', f'{image_id}.xml')).getroot()
        names |= {node.find('name').text for node in root.iter('object')}
        values |= set(np.unique(np.array(Image.open(osp.join(year, 'SegmentationClass', f'{image_id}.png')))))
    assert names and names <= set(PHOTO_CLASSES)
    assert values <= set(range(len(PHOTO_CLASSES) + 1))
    with pytest.raises(KeyError, match='unknown toy VOC style'):
        make_toy_voc(str(tmp_path / 'x'), style='cartoon')
    # the default style is the class-coloured one
    shapes = make_toy_voc(str(tmp_path / 'shapes'), splits={'train': 2, 'val': 1, 'test': 1}, seed=1)
    root = ET.parse(osp.join(shapes, 'Annotations', '000001.xml')).getroot()
    assert {node.find('name').text for node in root.iter('object')} <= set(TOY_CLASSES)
