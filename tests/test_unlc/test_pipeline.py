"""End-to-end uNLC on synthetic clips with exact ground truth.

The floors below are J values the default uNLC must reach on the ``small_suite`` clips (a static and a
panning camera), from motion and, on the static clip, from appearance saliency alone. They sit below
what the default scores there and are meant to catch a broken stage (graph, saliency, flow, voting); no
recorded run gives the J of broken variants, so none is quoted here.
"""
import numpy as np
import pytest

from mmmotion.apis import build_unlc
from mmmotion.evaluation.davis import evaluate_sequence
from mmmotion.unlc import UNLC

MOTION_FLOOR_MEAN = 0.74
MOTION_FLOOR_CLIP = 0.72
APPEARANCE_FLOOR = 0.80


def suite_j(unlc, suite):
    scores = []
    for _, clip in suite:
        soft, binary = unlc(clip.frames)
        assert soft.shape == binary.shape == clip.masks.shape
        assert soft.dtype == np.float32 and binary.dtype == bool
        assert 0 <= soft.min() and soft.max() <= 1
        if type(unlc.refiner).__name__ == 'NoRefiner':  # a refiner may grow the mask
            np.testing.assert_array_equal(binary, binary & (soft > unlc.last_threshold))
        scores.append(evaluate_sequence(binary, clip.masks)['J_mean'])
    return np.array(scores)


def test_motion_segmentation_beats_floor(small_suite):
    unlc = UNLC()
    scores = suite_j(unlc, small_suite)
    assert unlc.used_motion
    assert scores.mean() >= MOTION_FLOOR_MEAN and scores.min() >= MOTION_FLOOR_CLIP, scores


def test_appearance_fallback_beats_floor(small_suite):
    unlc = UNLC(motion=dict(min_dominant_fraction=2.0))  # never enough motion: appearance saliency
    scores = suite_j(unlc, small_suite[:1])
    assert not unlc.used_motion
    assert scores[0] >= APPEARANCE_FLOOR, scores


def test_reference_fallback_minus_the_shots_maximum_leaves_no_mask(small_suite):
    # videoseg subtracts the shot's maximum from its appearance maps: the evidence is <= 0 and nothing passes 0.7
    clip = small_suite[0][1]
    frames = clip.frames[:8]
    unlc = UNLC(motion=dict(min_dominant_fraction=2.0, fallback_minus_max=True))
    soft, binary = unlc(frames)
    assert not unlc.used_motion and not binary.any() and soft.max() == 0
    labels = np.stack([unlc.superpixels(f) for f in frames])
    saliency = unlc.initial_saliency(frames, labels)
    assert saliency.max() == 0 and saliency.min() < 0
    # without it the same fallback finds the object; with motion the option changes nothing
    assert UNLC(motion=dict(min_dominant_fraction=2.0))(frames)[1].any()
    np.testing.assert_array_equal(UNLC(motion=dict(fallback_minus_max=True))(frames)[1], UNLC()(frames)[1])


@pytest.mark.parametrize('config', ['configs/unlc/brute_nn.py', 'configs/unlc/kdtree_nn.py'])
def test_nn_backends_give_the_same_masks(small_suite, config):
    import os.path as osp
    root = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    clip = small_suite[0][1]
    frames = clip.frames[:8]
    reference_soft, _ = UNLC()(frames)
    soft, _ = build_unlc(osp.join(root, config))(frames)
    assert np.abs(soft - reference_soft).mean() < 1e-3


def test_timings_and_configurable_stages(small_suite):
    unlc = build_unlc(
        dict(
            unlc=dict(
                type='UNLC',
                motion=dict(flow=dict(type='DISFlow')),
                superpixels=dict(type='SLICSuperpixels', n_segments=100))))
    unlc(small_suite[1][1].frames[:6])
    assert {'superpixels', 'descriptors', 'graph', 'flow_saliency', 'voting'} <= set(unlc.timings)
    assert type(unlc.flow).__name__ == 'DISFlow'


@pytest.mark.parametrize('shape', [(1, 8, 8, 3), (2, 5, 7), (3, 16, 16, 1), (4, 20, 30, 4),
                                   (3, 1, 1, 3)])
def test_tiny_grey_and_single_frame_inputs(shape):
    frames = np.random.default_rng(0).integers(0, 256, shape, dtype=np.uint8)
    soft, binary = UNLC()(frames)
    assert soft.shape == binary.shape == shape[:3]
    assert np.isfinite(soft).all() and 0 <= soft.min() and soft.max() <= 1


def test_empty_input_is_an_error():
    with pytest.raises(ValueError):
        UNLC()(np.zeros((0, 10, 10, 3), np.uint8))


def test_unlc_pickles_after_use_for_process_pools_and_ray(small_suite):
    import pickle
    unlc = build_unlc(dict(unlc=dict(motion=dict(flow=dict(type='DISFlow')))))
    frames = small_suite[0][1].frames[:4]
    soft, _ = unlc(frames)  # creates the OpenCV DIS object, which does not pickle
    clone = pickle.loads(pickle.dumps(unlc))
    np.testing.assert_allclose(clone(frames)[0], soft, atol=1e-6)


def test_groups_update_defaults_and_old_flat_keys_are_named():
    unlc = UNLC(voting=dict(restart=0.0), motion=dict(size=100, keep_aspect=False))
    assert unlc.voting_kwargs == dict(restart=0.0) and (unlc.n_iters, unlc.n_rounds) == (50, 5)
    assert (unlc.flow_size, unlc.flow_keep_aspect) == (100, False)
    assert unlc.motion_kwargs['camera_model'] == dict(model='homography')  # the rest of the group kept
    with pytest.raises(TypeError, match=r'flow_size -> motion\.size, restart -> voting\.restart'):
        UNLC(flow_size=100, restart=0.0)
    with pytest.raises(TypeError, match=r"UNLC motion: unknown key\(s\) \['sise'\]; it takes .*'size'"):
        UNLC(motion=dict(sise=100))
    with pytest.raises(TypeError, match=r"OpenCVSLICSuperpixels: unknown key\(s\) \['segments'\]"):
        UNLC(superpixels=dict(type='OpenCVSLICSuperpixels', segments=10))


def test_hysteresis_grows_the_mask_into_connected_less_moving_parts():
    """An object whose head moved (energy 1) and whose body moved less (0.5), and a separate background
    patch at 0.5: the threshold alone keeps the head; hysteresis adds the body, not the patch."""
    energy = np.zeros((1, 40, 40), np.float32)
    energy[0, 10:30, 10:20] = 0.5
    energy[0, 10:16, 10:20] = 1.0
    energy[0, 30:36, 30:36] = 0.5
    frames = np.zeros((1, 40, 40, 3), np.uint8)
    plain = UNLC(postprocess=dict(refiner=dict(type='NoRefiner'), low_threshold=None))
    grown = UNLC(postprocess=dict(refiner=dict(type='NoRefiner'), low_threshold=0.4, max_growth=None))
    capped = UNLC(postprocess=dict(refiner=dict(type='NoRefiner'), low_threshold=0.4, max_growth=3))
    _, head = plain.finalise(frames, energy)
    _, body = grown.finalise(frames, energy)
    assert head.sum() == 60 and body.sum() == 200
    assert not body[0, 30:36, 30:36].any()
    # growing to 200 / 60 = 3.3 times the thresholded mask is more than a cap of 3 allows: a leak
    assert capped.finalise(frames, energy)[1].sum() == 60
    assert UNLC(postprocess=dict(refiner=dict(type='NoRefiner'), low_threshold=0.4,
                                 max_growth=4)).finalise(frames, energy)[1].sum() == 200
