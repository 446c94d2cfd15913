"""MotionMask transforms: crop geometry, image/mask alignment, trimap, flip, degradations."""
import cv2
import numpy as np
import pytest

from mmmotion.datasets.transforms import (GenerateTrimap, JitteredObjectCrop, LoadSoftMask,
                                          MaskDegradation, MaskRandomFlip, PhotometricJitter,
                                          SampleObject, dilate_or_erode, soft_to_trimap,
                                          truncate_objects)


def red_object_sample(height=200, width=300, box=(60, 50, 140, 110)):
    """A blue image with a red rectangle (x1, y1, x2, y2); the soft mask is the rectangle."""
    img = np.zeros((height, width, 3), np.uint8)
    img[..., 0] = 255  # BGR blue
    x1, y1, x2, y2 = box
    img[y1:y2, x1:x2] = (0, 0, 255)
    soft = np.zeros((height, width), np.float32)
    soft[y1:y2, x1:x2] = 1
    return dict(img=img, soft_mask=soft, sample_idx=0)


def test_object_box_lands_in_crop_within_jitter_ranges():
    np.random.seed(0)
    box = np.array([60, 50, 140, 110], np.float32)
    scale_range, shift = (1.3, 1.7), 0.1
    sample, crop = SampleObject(), JitteredObjectCrop(227, 56, scale_range, shift)
    scales, shifts = [], []
    for _ in range(60):
        out = crop(sample(red_object_sample()))
        np.testing.assert_array_equal(out['object_bbox'], box)
        bx1, by1, bx2, by2 = out['object_bbox_in_crop']
        assert bx1 >= -1e-3 and by1 >= -1e-3 and bx2 <= 227 + 1e-3 and by2 <= 227 + 1e-3
        scale = 227 / max(bx2 - bx1, by2 - by1)  # crop side / object's longer side
        assert scale_range[0] - 1e-3 <= scale <= scale_range[1] + 1e-3
        centre_offset = np.array([113.5 - (bx1 + bx2) / 2, 113.5 - (by1 + by2) / 2])
        rel = centre_offset / np.array([bx2 - bx1, by2 - by1])
        assert np.all(np.abs(rel) <= shift + 1e-3)
        scales.append(scale)
        shifts.append(rel)
        assert out['img'].shape == (227, 227, 3) and out['soft_mask'].shape == (56, 56)
    # the jitter really spans its ranges
    assert max(scales) - min(scales) > 0.25 and np.ptp(np.array(shifts)[:, 0]) > 0.1


@pytest.mark.parametrize('flip', [False, True])
def test_image_and_mask_stay_aligned_through_crop_and_flip(flip):
    np.random.seed(1)
    results = SampleObject()(red_object_sample(box=(200, 20, 290, 80)))  # near the border: padding
    results = JitteredObjectCrop(227, 56, (1.5, 2.5), 0.2)(results)
    results = MaskRandomFlip(prob=1.0 if flip else 0.0)(results)
    assert results['flip'] is flip
    img_small = cv2.resize(results['img'], (56, 56), interpolation=cv2.INTER_AREA).astype(int)
    red = img_small[..., 2] - img_small[..., 0] > 100
    fg = results['soft_mask'] > 0.5
    valid = results['valid_mask'] > 0.99
    agreement = (red == fg)[valid].mean()
    assert agreement > 0.97, agreement
    assert 0 < fg.sum() < valid.sum()
    # the box in the crop matches the red pixels of the (flipped) crop
    x1, y1, x2, y2 = results['object_bbox_in_crop']
    ys, xs = np.nonzero(results['img'][..., 2].astype(int) - results['img'][..., 0] > 100)
    assert abs(xs.min() - x1) <= 2 and abs(xs.max() + 1 - x2) <= 2
    assert abs(ys.min() - y1) <= 2 and abs(ys.max() + 1 - y2) <= 2
    # outside-the-image parts of the crop are ignored by the trimap
    trimap = GenerateTrimap()(results)['gt_mask']
    assert (trimap[results['valid_mask'] < 0.5] == 255).all() and (results['valid_mask'] < 0.5).any()


def test_flip_twice_is_identity():
    results = JitteredObjectCrop(227, 56)(SampleObject()(red_object_sample()))
    results = GenerateTrimap()(results)
    before = {k: results[k].copy() for k in ('img', 'soft_mask', 'gt_mask', 'object_bbox_in_crop')}
    flip = MaskRandomFlip(prob=1.0)
    flipped = flip(flip(dict(results)))
    for key, value in before.items():
        np.testing.assert_allclose(flipped[key], value, atol=1e-4)


def test_sample_object_picks_components_and_falls_back_to_the_frame():
    soft = np.zeros((100, 100), np.float32)
    soft[10:30, 10:30] = 0.9
    soft[60:90, 50:95] = 0.8
    soft[0:2, 98:100] = 1.0  # too small (4 px < min_area)
    seen = set()
    for seed in range(20):
        out = SampleObject(min_area=16, seeded=True, seed=seed)(dict(soft_mask=soft, sample_idx=0))
        seen.add(tuple(out['object_bbox'].tolist()))
    assert seen == {(10, 10, 30, 30), (50, 60, 95, 90)}
    empty = SampleObject()(dict(soft_mask=np.zeros((40, 50), np.float32)))
    assert empty['object_found'] is False
    np.testing.assert_array_equal(empty['object_bbox'], [0, 0, 50, 40])


def test_seeded_crops_are_reproducible():
    a = JitteredObjectCrop(seeded=True)(SampleObject(seeded=True)(red_object_sample()))
    b = JitteredObjectCrop(seeded=True)(SampleObject(seeded=True)(red_object_sample()))
    np.testing.assert_array_equal(a['crop_bbox'], b['crop_bbox'])


def test_trimap_thresholds():
    soft = np.array([[0.0, 0.4, 0.41, 0.69, 0.7, 1.0]], np.float32)
    np.testing.assert_array_equal(soft_to_trimap(soft), [[0, 0, 255, 255, 1, 1]])
    np.testing.assert_array_equal(soft_to_trimap(soft, 0.5, 0.2, 9), [[0, 9, 9, 1, 1, 1]])
    out = GenerateTrimap(0.7, 0.4)(dict(soft_mask=soft, valid_mask=np.array([[1, 1, 1, 1, 0, 1]],
                                                                            np.float32)))
    np.testing.assert_array_equal(out['gt_mask'], [[0, 0, 255, 255, 255, 1]])
    with pytest.raises(ValueError, match='neg_thr'):
        GenerateTrimap(pos_thr=0.4, neg_thr=0.7)


def square_mask(size=100, lo=30, hi=70):
    mask = np.zeros((size, size), np.float32)
    mask[lo:hi, lo:hi] = 1
    return mask


@pytest.mark.parametrize('pixels', [1, 3, 6])
def test_dilate_and_erode_move_the_boundary_by_k_pixels(pixels):
    mask = square_mask()
    dilated = dilate_or_erode(mask, pixels)
    eroded = dilate_or_erode(mask, pixels, erode=True)
    # along the middle row and column the extent grows/shrinks by exactly k on each side
    assert (dilated[50] > 0.5).sum() == 40 + 2 * pixels
    assert (dilated[:, 50] > 0.5).sum() == 40 + 2 * pixels
    assert (eroded[50] > 0.5).sum() == 40 - 2 * pixels
    assert (eroded[:, 50] > 0.5).sum() == 40 - 2 * pixels
    # a disk kernel: corners are rounded, so the dilated area is below the full square's
    assert (dilated > 0.5).sum() < (40 + 2 * pixels) ** 2
    out = MaskDegradation('dilate', pixels=pixels)(dict(soft_mask=mask))
    np.testing.assert_array_equal(out['soft_mask'], dilated)


@pytest.mark.parametrize('side', ['top', 'bottom', 'left', 'right'])
def test_truncate_removes_a_fraction_from_one_side(side):
    mask = square_mask()
    out = truncate_objects(mask, 0.25, np.random.default_rng(0), side=side)
    ys, xs = np.nonzero(out > 0.5)
    expected = {'top': (40, 70, 30, 70), 'bottom': (30, 60, 30, 70),
                'left': (30, 70, 40, 70), 'right': (30, 70, 30, 60)}[side]
    assert (ys.min(), ys.max() + 1, xs.min(), xs.max() + 1) == expected
    assert (out > 0.5).sum() == 40 * 30


def test_truncate_transform_cuts_every_object_on_some_side():
    mask = square_mask()
    mask[80:96, 5:21] = 1  # a second object
    np.random.seed(0)
    out = MaskDegradation('truncate', fraction=0.5)(dict(soft_mask=mask))['soft_mask']
    assert (out > 0.5).sum() == 40 * 20 + 16 * 8
    with pytest.raises(ValueError, match='mode'):
        MaskDegradation('blur')


def test_photometric_jitter_changes_colours_only():
    img = np.random.default_rng(0).integers(0, 256, (50, 60, 3)).astype(np.uint8)
    np.random.seed(0)
    out = PhotometricJitter(prob=1.0)(dict(img=img.copy()))['img']
    assert out.shape == img.shape and out.dtype == np.uint8 and not np.array_equal(out, img)
    same = PhotometricJitter(prob=0.0)(dict(img=img.copy()))['img']
    np.testing.assert_array_equal(same, img)


def test_load_soft_mask_errors_name_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='missing.png'):
        LoadSoftMask()(dict(mask_path=str(tmp_path / 'missing.png')))
    path = str(tmp_path / 'm.png')
    cv2.imwrite(path, np.zeros((10, 12), np.uint8))
    with pytest.raises(ValueError, match='m.png'):
        LoadSoftMask()(dict(mask_path=path, img=np.zeros((11, 12, 3), np.uint8), img_path='x.jpg'))
    with pytest.raises(KeyError, match='mask_path'):
        LoadSoftMask()(dict(img_path='x.jpg'))
