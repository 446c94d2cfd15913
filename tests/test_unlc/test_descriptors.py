import numpy as np
import pytest
from skimage.feature import hog

from mmmotion.unlc.descriptors import (patch_hog, region_box_centres, region_colour_histograms,
                                       region_descriptors)
from mmmotion.unlc.superpixels import opencv_slic_superpixels, slic_superpixels


@pytest.mark.parametrize('block_norm', ['L1', 'L2-Hys'])
def test_patch_hog_matches_scikit_image_hog(block_norm):
    rng = np.random.default_rng(0)
    gray = rng.random((15, 15)).astype(np.float32)
    expected = hog(
        gray, orientations=6, pixels_per_cell=(5, 5), cells_per_block=(3, 3),
        block_norm=block_norm)
    got = patch_hog(gray, np.array([[7.0, 7.0]]), block_norm=block_norm)[0]
    # scikit-image averages each cell's magnitudes before normalising, which only moves eps
    np.testing.assert_allclose(got, expected, atol=1e-5)


def test_l1_hog_rows_sum_to_one_and_bad_norm_is_named():
    rng = np.random.default_rng(1)
    gray = rng.random((40, 40)).astype(np.float32)
    feats = patch_hog(gray, np.array([[10.0, 10.0], [25.0, 30.0]]))
    np.testing.assert_allclose(feats.sum(1), 1, rtol=1e-4)
    with pytest.raises(ValueError, match='L2'):
        patch_hog(gray, np.array([[10.0, 10.0]]), block_norm='L2')


def test_box_centres():
    labels = np.zeros((10, 10), int)
    labels[2:5, 6:10] = 1
    labels[8:, :3] = 2
    np.testing.assert_allclose(region_box_centres(labels), [[4.5, 4.5], [3, 7.5], [8.5, 1]])


def test_colour_histograms_count_region_pixels():
    frame = np.zeros((4, 4, 3), np.uint8)
    frame[:, 2:] = 255
    labels = np.zeros((4, 4), int)
    labels[:, 3] = 1
    hist = region_colour_histograms(frame, labels, bins=20)
    np.testing.assert_allclose(hist.reshape(2, 6, 20).sum(-1), 1, rtol=1e-6)
    np.testing.assert_allclose(hist[0, [0, 19]], [2 / 3, 1 / 3], rtol=1e-6)  # R of region 0
    assert hist[1, 19] == 1


@pytest.mark.parametrize('superpixels', [slic_superpixels, opencv_slic_superpixels])
def test_descriptor_shape_and_superpixels(superpixels):
    rng = np.random.default_rng(0)
    frame = rng.integers(0, 256, (60, 80, 3), dtype=np.uint8)
    labels = superpixels(frame, n_segments=40)
    n = labels.max() + 1
    assert labels.min() == 0 and len(np.unique(labels)) == n and 20 <= n <= 80
    descriptors = region_descriptors(frame, labels)
    assert descriptors.shape == (n, 54 + 120 + 2) and descriptors.dtype == np.float32
    assert np.isfinite(descriptors).all()


def _scikit_patch_descriptor(frame, labels, region, patch=15):
    """One region's descriptor the way the reference builds it: a patch from the truncated box centre moved
    inside the frame, scikit-image's HOG of its grey, np.histogram of its RGB and Lab, its corner as position."""
    from skimage.color import rgb2gray, rgb2lab
    h, w = labels.shape
    ys, xs = np.nonzero(labels == region)
    top, left = int((ys.min() + ys.max() - patch) / 2), int((xs.min() + xs.max() - patch) / 2)
    y0 = 0 if top <= 0 else (h - 1 - patch if top + patch >= h - 1 else top)
    x0 = 0 if left <= 0 else (w - 1 - patch if left + patch >= w - 1 else left)
    window = frame[y0:y0 + patch, x0:x0 + patch]
    hog_part = hog(rgb2gray(window), orientations=6, pixels_per_cell=(5, 5), cells_per_block=(3, 3),
                   block_norm='L1')
    values = np.concatenate([window, rgb2lab(window)], -1).reshape(-1, 6)
    ranges = [(0, 255)] * 3 + [(0, 100), (-128, 127), (-128, 127)]
    hists = [np.histogram(values[:, c], 20, ranges[c])[0] for c in range(6)]
    hists = [hh / hh.sum() for hh in hists]
    return np.concatenate([hog_part] + hists + [[top / h, left / w]])


def test_patch_support_reproduces_the_reference_recipe():
    rng = np.random.default_rng(3)
    frame = rng.integers(0, 256, (48, 64, 3), dtype=np.uint8)
    frame[10:30, 20:50] = (200, 40, 40)
    labels = slic_superpixels(frame, n_segments=30)
    got = region_descriptors(frame, labels, support='patch')
    assert got.shape == (labels.max() + 1, 176) and got.dtype == np.float32
    # regions at the corners, the edges and inside all follow the recipe (patch moved inside the frame)
    for region in range(labels.max() + 1):
        np.testing.assert_allclose(got[region], _scikit_patch_descriptor(frame, labels, region), atol=1e-5)
    # weights scale the parts as with the region support; another support is named
    scaled = region_descriptors(frame, labels, support='patch', colour_weight=2.0)
    np.testing.assert_allclose(scaled[:, 54:174], 2 * got[:, 54:174], rtol=1e-6)
    with pytest.raises(ValueError, match='patch'):
        region_descriptors(frame, labels, support='box')


def test_patch_support_pads_frames_smaller_than_the_patch():
    frame = np.full((10, 12, 3), 128, np.uint8)
    labels = np.zeros((10, 12), int)
    labels[:, 6:] = 1
    got = region_descriptors(frame, labels, support='patch')
    assert np.isfinite(got).all() and got.shape == (2, 176)
