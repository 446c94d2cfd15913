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
