"""GRIC model selection, motion boundaries, flow propagation and screen-fixed overlays on flows and
frames with a known answer."""
import cv2
import numpy as np

from mmmotion.unlc.motion_boundaries import inside_map, inside_outside, motion_boundaries
from mmmotion.unlc.motion_saliency import camera_motion, epipolar_distance, fuse_inside_map, gric
from mmmotion.unlc.overlays import noise_sigma, screen_fixed_mask
from mmmotion.unlc.propagation import consistent_flow, propagate_energy


def grid(h=60, w=80):
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    return xs, ys


def translating_camera_flow(h=60, w=80, speed=3.0, seed=0):
    """A camera translating sideways over a scene whose depth varies (inverse depth 0.2 .. 1): each
    pixel moves by speed x inverse depth, with a little noise."""
    rng = np.random.default_rng(seed)
    xs, ys = grid(h, w)
    inverse_depth = 0.2 + 0.8 * (0.5 + 0.5 * np.sin(xs / 9.0) * np.cos(ys / 7.0))
    flow = np.stack([speed * inverse_depth, np.zeros_like(xs)], -1)
    return (flow + rng.normal(0, 0.03, flow.shape)).astype(np.float32)


def panning_flow(h=60, w=80, seed=0):
    rng = np.random.default_rng(seed)
    flow = np.zeros((h, w, 2), np.float32)
    flow[..., 0] = 2.0
    return flow + rng.normal(0, 0.03, flow.shape).astype(np.float32)


def test_gric_prefers_the_simpler_model_when_both_fit():
    rng = np.random.default_rng(0)
    errors = rng.normal(0, 1, 400)**2  # squared errors of a model that fits, sigma 1
    # the same residuals: the homography (smaller manifold) wins
    assert gric(errors, 1.0, 2, 8) < gric(errors, 1.0, 3, 7)
    # a homography with 40% outliers against a fundamental matrix that explains them
    outliers = np.concatenate([errors[:240], np.full(160, 100.0)])
    assert gric(errors / 2, 1.0, 3, 7) < gric(outliers, 1.0, 2, 8)


def test_gric_keeps_the_homography_for_a_pan_and_takes_epipolar_geometry_under_parallax():
    pan = panning_flow()
    pan[20:35, 30:45] = (0.0, 2.0)  # an object moving down while the camera pans
    found = camera_motion(pan, model='gric')
    assert found.kind == 'camera'
    assert found.saliency[27, 37] > 1.0 and found.saliency[5, 5] < 0.2
    parallax = translating_camera_flow()
    assert camera_motion(parallax, model='homography').saliency.mean() > 0.3  # depth called motion
    chosen = camera_motion(parallax, model='gric')
    assert chosen.kind == 'epipolar'
    assert chosen.saliency.mean() < 0.1


def test_epipolar_distance_is_zero_on_the_epipolar_line():
    # pure sideways translation: F = [t]_x with t = (1, 0, 0); epipolar lines are the rows
    fundamental = np.array([[0, 0, 0], [0, 0, -1], [0, 1, 0]], np.float64)
    points = np.array([[10.0, 20.0], [10.0, 20.0]])
    target = np.array([[15.0, 20.0], [10.0, 23.0]])
    np.testing.assert_allclose(epipolar_distance(points, target, fundamental), [0.0, 3.0], atol=1e-5)


def square_flow(h=60, w=80, box=(20, 40, 30, 50), motion=(3.0, 0.0)):
    flow = np.zeros((h, w, 2), np.float32)
    y0, y1, x0, x1 = box
    flow[y0:y1, x0:x1] = motion
    return flow


def test_inside_outside_fills_a_moving_square():
    inside = inside_map(square_flow())
    assert inside[30, 40] == 1.0 and inside[5, 5] == 0.0 and inside[30, 10] == 0.0
    filled = inside > 0.5
    assert filled[22:38, 32:48].all() and not filled[:15].any()


def test_boundaries_ignore_a_smooth_change_of_speed():
    xs, _ = grid()
    zoom = np.stack([0.02 * (xs - 40), np.zeros_like(xs)], -1).astype(np.float32)
    assert motion_boundaries(zoom).max() < 0.1
    assert motion_boundaries(square_flow()).max() > 0.6


def test_inside_outside_of_an_open_curve_is_mostly_outside():
    boundary = np.zeros((40, 40), bool)
    boundary[20, 5:35] = True  # a line, not a closed outline
    assert (inside_outside(boundary) > 0.5).mean() < 0.05


def test_fused_cue_fills_an_object_whose_middle_does_not_move():
    flow = square_flow()
    residual = np.linalg.norm(flow, axis=-1)
    residual[25:35, 35:45] = 0.0  # its middle leaves no residual (it moves like the camera there)
    fused = fuse_inside_map(residual, flow, weight=0.5, box_size=1)
    assert fused[30, 40] >= 0.5 and fused[5, 5] == 0.0
    assert fuse_inside_map(residual, flow, weight=0.0, box_size=1)[30, 40] == 0.0


def test_forward_backward_consistency_marks_occluded_pixels():
    forward = square_flow(motion=(4.0, 0.0))
    backward = -square_flow(box=(20, 40, 34, 54), motion=(4.0, 0.0))
    consistent = consistent_flow(forward, backward)
    assert consistent[30, 40] and consistent[5, 5]
    backward[20:40, 34:54] = 0  # the target pixels do not point back: occluded or mismatched
    assert not consistent_flow(forward, backward)[30, 40]


def test_propagation_fills_a_frame_that_lost_the_object():
    n, h, w = 3, 40, 60
    energy = np.zeros((n, h, w), np.float32)
    energy[0, 10:20, 10:20] = 1.0
    energy[2, 10:20, 20:30] = 1.0  # the object moves 5 px a frame; frame 1 lost it
    flows = {}
    for t in range(n):
        for k in range(n):
            if t != k:
                flows[(t, k)] = np.full((h // 2, w // 2, 2), ((k - t) * 2.5, 0.0), np.float32)  # half size
    out = propagate_energy(energy, flows, gaps=(1, ), fill_only=False)
    assert out[1, 12:18, 17:23].min() > 0.6 and out[1, 30:, :].max() == 0.0
    assert 0.4 < out[0, 15, 15] < 0.6  # averaged: frame 0 keeps half its own energy (frame 1 had none there)
    filled = propagate_energy(energy, flows, gaps=(1, ))  # the default fills in and never takes away
    assert filled[0, 15, 15] == 1.0 and filled[1, 12:18, 17:23].min() > 0.6
    assert propagate_energy(energy, {}, gaps=(1, ))[1].max() == 0.0  # no flows: nothing moves


def test_overlay_is_found_under_a_moving_camera_and_nothing_under_a_still_one():
    rng = np.random.default_rng(0)
    h, w, n = 60, 80, 12
    scene = cv2.GaussianBlur(rng.uniform(0, 255, (h, w + 3 * n)).astype(np.float32), (0, 0), 2) * 4 - 384
    frames = np.stack([scene[:, 3 * i:3 * i + w] for i in range(n)])  # a pan over a textured scene
    frames[:, 45:55, 10:40] = 40
    frames[:, 48:52, 14:36:4] = 230  # a score box with text, fixed on the screen
    frames = np.clip(frames + rng.normal(0, 1, frames.shape), 0, 255).astype(np.uint8)
    overlay = screen_fixed_mask(frames)
    assert overlay[45:55, 10:40].mean() > 0.6 and overlay[:40].mean() < 0.01
    still = np.repeat(frames[:1], n, 0)
    assert not screen_fixed_mask(still).any()
    assert 0.5 < noise_sigma(np.clip(128 + rng.normal(0, 2, (100, 100)), 0, 255)) < 3.0
