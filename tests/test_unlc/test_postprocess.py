import cv2
import numpy as np

from mmmotion.unlc.postprocess import (DenseCRFRefiner, NoRefiner, damp_low_energy_blobs,
                                       remove_small_blobs)


def test_damp_low_energy_blobs_damps_whole_weak_blobs_exactly():
    """Active thresholds (blob_threshold < min_mean_energy). Blobs are 4-connected components of
    ``energy > blob_threshold``; a blob whose mean is strictly below ``min_mean_energy`` is set, all of it, to
    ``blob_threshold / 4``. Dyadic values, so every mean is exact in floating point."""
    energy = np.zeros((24, 24), np.float32)
    energy[1:5, 1:5] = 0.875  # A: mean 0.875, kept
    energy[5:7, 5:7] = 0.5  # E: touches A only diagonally, a blob of its own: mean 0.5, damped
    energy[9:15, 0:6] = 0.25  # a ring at the threshold itself: in no blob, unchanged
    energy[10:12, 1:5] = 0.75  # B: mean exactly 0.625 = min_mean_energy, kept (damped only if lower)
    energy[12:14, 1:5] = 0.5
    energy[10:14, 10:14] = 0.5  # C: mean 0.5, damped
    energy[18:22, 10:14] = 0.875  # D: (16 * 0.875 + 8 * 0.375) / 24 = 0.708, kept with its weak 0.375 rows
    energy[22:24, 10:14] = 0.375
    energy[18:22, 1:3] = 0.5  # G1: mean 0.5, damped
    energy[18:22, 3] = 0.25  # a threshold-level column, which does not join G1 and G2
    energy[18:22, 4:6] = 0.875  # G2: kept (joined, G1 + column + G2 would have mean 0.6 and all be damped)
    original = energy.copy()
    expected = energy.copy()
    for weak in (np.s_[5:7, 5:7], np.s_[10:14, 10:14], np.s_[18:22, 1:3]):  # E, C, G1
        expected[weak] = 0.25 / 4

    out = damp_low_energy_blobs(energy, blob_threshold=0.25, min_mean_energy=0.625)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_array_equal(energy, original)  # the input is not modified
    expected[expected == 0.25 / 4] = 0.0
    np.testing.assert_array_equal(
        damp_low_energy_blobs(energy.astype(np.float64), blob_threshold=0.25, min_mean_energy=0.625,
                              damped_value=0.0), expected)


def energy_staircase() -> np.ndarray:
    """Plateaus at 0.005, 0.015, ..., 0.995 (between any two-decimal thresholds), two pixels each, kept apart by
    zero columns: for any blob_threshold, each plateau above it is a blob whose mean is the plateau's value."""
    energy = np.zeros((2, 200), np.float32)
    energy[:, 0::2] = (np.arange(100) + 0.5) / 100
    return energy


def test_damp_acts_exactly_on_blobs_with_a_mean_between_the_thresholds():
    energy = energy_staircase()
    out = damp_low_energy_blobs(energy, blob_threshold=0.6, min_mean_energy=0.7)
    expected = energy.copy()
    expected[:, 2 * 60:2 * 70:2] = 0.6 / 4  # the plateaus 0.605 ... 0.695: above 0.6, mean below 0.7
    np.testing.assert_array_equal(out, expected)


def test_damp_with_the_reference_defaults_is_a_no_op_at_every_level():
    """The reference's 0.7 / 0.6, the defaults of the function and of the UNLC pipeline: a blob above 0.7 has a
    mean above 0.7, so nothing is damped. The staircase has a blob with a mean within 0.01 above every
    two-decimal level, so this fails if a default changes to a pair where the step acts (a blob threshold under
    0.6 with the same minimum mean, or a minimum mean over 0.705 with the same threshold)."""
    from mmmotion.unlc.pipeline import UNLC
    energy = energy_staircase()
    np.testing.assert_array_equal(damp_low_energy_blobs(energy), energy)
    pipeline_out = damp_low_energy_blobs(energy, **UNLC().blob_kwargs)  # the settings the pipeline damps with
    np.testing.assert_array_equal(pipeline_out, energy)


def test_remove_small_blobs_keeps_blobs_near_the_largest_size():
    mask = np.zeros((50, 50), bool)
    mask[0:10, 0:10] = True  # 100 px, the largest
    mask[20:27, 20:30] = True  # 70 px >= 60
    mask[40:45, 40:50] = True  # 50 px < 60
    out = remove_small_blobs(mask, 0.6)
    assert out[0:10, 0:10].all() and out[20:27, 20:30].all()
    assert not out[40:45, 40:50].any()
    assert not remove_small_blobs(np.zeros((5, 5), bool)).any()


def test_dense_crf_snaps_a_blurry_mask_to_the_object_edges():
    from mmmotion.evaluation.davis import region_similarity
    frame = np.full((60, 80, 3), 40, np.uint8)
    truth = np.zeros((60, 80), bool)
    truth[15:45, 20:60] = True
    frame[truth] = (230, 200, 30)
    soft = cv2.GaussianBlur(truth.astype(np.float32), (0, 0), 8)  # blurry and too small
    coarse = soft > 0.7
    refined = DenseCRFRefiner()(frame, soft, coarse)
    assert region_similarity(refined, truth) > region_similarity(coarse, truth) + 0.2
    assert NoRefiner()(frame, soft, coarse) is coarse


def test_grabcut_grows_a_partial_mask_to_the_object():
    """uNLC's masks often stop short of the object's edges; GrabCut's colour model grows the mask
    (within its band around the mask) to the object and stays off the background."""
    from mmmotion.evaluation.davis import region_similarity
    from mmmotion.unlc.postprocess import GrabCutRefiner
    rng = np.random.default_rng(0)
    frame = rng.integers(0, 60, (120, 160, 3), dtype=np.uint8)  # dark textured background
    truth = np.zeros((120, 160), bool)
    truth[30:90, 40:120] = True
    frame[truth] = rng.integers(180, 255, (truth.sum(), 3), dtype=np.uint8)
    partial = np.zeros_like(truth)
    partial[36:84, 46:114] = True  # 6 px short of every edge
    refined = GrabCutRefiner()(frame, partial.astype(np.float32), partial)
    assert region_similarity(refined, truth) > 0.9 > region_similarity(partial, truth)
    empty = np.zeros_like(truth)
    assert not GrabCutRefiner()(frame, empty.astype(np.float32), empty).any()
