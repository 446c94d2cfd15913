import cv2
import numpy as np

from mmmotion.unlc.postprocess import (DenseCRFRefiner, NoRefiner, damp_low_energy_blobs,
                                       remove_small_blobs)


def energy_with_blobs():
    energy = np.zeros((40, 40), np.float32)
    energy[2:12, 2:12] = 0.9  # strong blob
    energy[20:30, 20:30] = 0.55  # weak blob
    energy[20:25, 20:25] = 0.65  # a stronger core inside the weak blob: mean 0.575
    return energy


def test_damp_low_energy_blobs_damps_only_weak_blobs():
    energy = energy_with_blobs()
    out = damp_low_energy_blobs(energy, blob_threshold=0.5, min_mean_energy=0.6)
    assert (out[2:12, 2:12] == 0.9).all()
    assert np.allclose(out[20:30, 20:30], 0.5 / 4)
    assert (out[energy == 0] == 0).all()
    assert energy[25, 25] == np.float32(0.55)  # input untouched


def test_damp_with_reference_defaults_changes_nothing():
    # blobs above 0.7 always have a mean above 0.6: the reference's setting is a no-op
    energy = energy_with_blobs()
    energy[30:35, 2:10] = 0.71
    np.testing.assert_array_equal(damp_low_energy_blobs(energy), energy)


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
