import os

import cv2
import numpy as np

from mmmotion.testing.synthetic import make_synthetic_clip, write_davis_sequence
from mmmotion.evaluation.davis import (boundary_f_measure, evaluate_davis, evaluate_sequence,
                                       region_similarity)


def test_synthetic_clip_is_seeded_and_has_moving_ground_truth():
    a = make_synthetic_clip(n_frames=5, height=48, width=64, seed=1)
    b = make_synthetic_clip(n_frames=5, height=48, width=64, seed=1)
    c = make_synthetic_clip(n_frames=5, height=48, width=64, seed=2)
    np.testing.assert_array_equal(a.frames, b.frames)
    assert not np.array_equal(a.frames, c.frames)
    assert a.frames.shape == (5, 48, 64, 3) and a.frames.dtype == np.uint8
    assert a.masks.shape == (5, 48, 64) and a.masks.dtype == bool
    assert (a.masks.reshape(5, -1).mean(1) > 0.02).all()
    assert not np.array_equal(a.masks[0], a.masks[-1])  # the object moves


def test_panning_moves_the_background():
    clip = make_synthetic_clip(n_frames=3, height=48, width=64, pan=(0, 2), noise=0, seed=3)
    background = ~(clip.masks[0] | clip.masks[1])
    shifted = np.zeros_like(background)
    shifted[:, :-2] = background[:, :-2] & background[:, 2:]
    # frame 1 shows the background two pixels further right
    np.testing.assert_array_equal(clip.frames[1][:, :-2][shifted[:, :-2]],
                                  clip.frames[0][:, 2:][shifted[:, :-2]])


def test_region_similarity_and_boundary_f():
    a = np.zeros((50, 50), bool)
    a[10:30, 10:30] = True
    b = np.zeros_like(a)
    b[10:30, 20:40] = True
    assert region_similarity(a, a) == 1.0
    assert np.isclose(region_similarity(a, b), 200 / 600)
    assert region_similarity(np.zeros_like(a), np.zeros_like(a)) == 1.0
    assert boundary_f_measure(a, a) == 1.0
    shifted = np.roll(a, 1, axis=1)  # within the 0.8% x diagonal (~0.57 -> 1 px) tolerance
    assert boundary_f_measure(a, shifted) == 1.0
    assert boundary_f_measure(a, np.roll(a, 8, axis=1)) < 0.5
    assert boundary_f_measure(a, np.zeros_like(a)) == 0.0
    result = evaluate_sequence([a, b], [a, a])
    assert np.isclose(result['J_mean'], (1 + 1 / 3) / 2) and result['J_recall'] == 0.5


def test_davis_layout_round_trip(tmp_path):
    clip = make_synthetic_clip(n_frames=3, height=40, width=56, seed=0)
    write_davis_sequence(str(tmp_path), 'seq', clip.frames, clip.masks)
    assert sorted(os.listdir(tmp_path / 'JPEGImages' / '480p' / 'seq')) == \
        ['00000.jpg', '00001.jpg', '00002.jpg']
    pred = tmp_path / 'pred' / 'seq'
    pred.mkdir(parents=True)
    for i, mask in enumerate(clip.masks):
        cv2.imwrite(str(pred / f'{i:05d}.png'), mask.astype(np.uint8) * 255)
    result = evaluate_davis(str(tmp_path), str(tmp_path / 'pred'))
    assert result['J_mean'] == 1.0 and result['F_mean'] == 1.0
    assert list(result['sequences']) == ['seq']


def test_several_objects_and_suite_names():
    from mmmotion.testing.synthetic import synthetic_suite
    one = make_synthetic_clip(n_frames=2, height=80, width=100, n_objects=1, seed=4)
    three = make_synthetic_clip(n_frames=2, height=80, width=100, n_objects=3, seed=4)
    assert three.masks[0].sum() > one.masks[0].sum()
    names = [name for name, _ in synthetic_suite(2, n_frames=2, height=40, width=50)]
    assert names == ['synthetic-000-static', 'synthetic-001-pan']


def test_overlay_colours_the_mask_and_draws_its_contour():
    from mmmotion.visualization.overlay import overlay_mask, overlay_soft_mask
    frame = np.full((40, 50, 3), 100, np.uint8)
    mask = np.zeros((40, 50), bool)
    mask[10:30, 10:40] = True
    out = overlay_mask(frame, mask, color=(255, 0, 0), alpha=0.5, contour_thickness=1)
    assert out.shape == frame.shape and out.dtype == np.uint8
    assert tuple(out[20, 25]) == (178, 50, 50)  # blended inside
    assert tuple(out[10, 25]) == (255, 0, 0)  # contour
    assert (out[:5] == 100).all()  # untouched outside
    heat = overlay_soft_mask(frame, mask.astype(np.float32))
    assert (heat[:5] == 100).all() and not (heat[20, 25] == 100).all()
