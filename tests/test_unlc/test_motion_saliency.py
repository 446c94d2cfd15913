import numpy as np

from mmmotion.unlc.motion_saliency import dominant_motion, motion_saliency, to_frame_saliency


def constant_flow(dx: float, dy: float, size: int = 64) -> np.ndarray:
    """(size, size, 2) flow moving every pixel by (dx, dy)."""
    flow = np.empty((size, size, 2), np.float32)
    flow[..., 0], flow[..., 1] = dx, dy
    return flow


def test_static_camera_saliency_is_where_things_move():
    rng = np.random.default_rng(0)
    flow = rng.normal(0, 0.2, (64, 64, 2)).astype(np.float32)
    flow[20:30, 30:40] = (4.0, 1.0)  # a moving object
    found = dominant_motion(flow)
    assert found.kind == 'static'
    assert found.saliency[25, 35] > 10 * found.saliency[5, 5]
    assert np.unravel_index(found.saliency.argmax(), found.saliency.shape)[0] in range(20, 30)


def test_panning_camera_saliency_is_deviation_from_the_pan():
    flow = constant_flow(3.0, 0.0)
    flow[40:50, 10:20] = (0.0, 3.0)  # moves down while the camera pans right
    found = dominant_motion(flow)
    assert found.kind == 'pan'
    assert abs(found.direction) < 2 * np.pi / 20  # the bin holding angle 0
    assert found.saliency[45, 15] > 1.0  # about (pi/2)^2 minus the bin-centre offset
    assert found.saliency[10, 50] < 0.1


def test_pan_deviation_wraps_around_pi():
    # the camera pans left just above the -x axis; a patch moves left just below it. Their angles
    # differ by 0.15 rad across the +-pi seam: a small, not a (2 pi - 0.15)^2, deviation
    flow = constant_flow(-3.0, 0.3)
    flow[10:20, 10:20] = (-3.0, -0.15)
    found = dominant_motion(flow)
    assert found.kind == 'pan'
    assert np.pi - 2 * np.pi / 20 <= found.direction <= np.pi
    assert found.saliency.max() < 0.1


def test_chaotic_motion_is_not_dominant():
    rng = np.random.default_rng(1)
    angle = rng.uniform(-np.pi, np.pi, (64, 64))
    flow = np.stack([3 * np.cos(angle), 3 * np.sin(angle)], -1).astype(np.float32)
    found = dominant_motion(flow)
    assert found.kind == 'none' and found.saliency is None


def test_motion_saliency_averages_dominant_flows_only():
    # frame i is filled with i; flows from even frames show a static camera and a moving patch,
    # flows from odd frames are chaotic
    frames = np.arange(4, dtype=np.uint8)[:, None, None].repeat(32, 1).repeat(32, 2)
    rng = np.random.default_rng(0)
    pairs = []

    def flow_fn(source, target):
        pairs.append((int(source[0, 0]), int(target[0, 0])))
        if source[0, 0] % 2 == 0:
            flow = constant_flow(0.0, 0.0, 32)
            flow[8:16, 8:16] = (3.0 * (int(target[0, 0]) - int(source[0, 0])), 0.0)
            return flow
        angle = rng.uniform(-np.pi, np.pi, (32, 32))
        return np.stack([3 * np.cos(angle), 3 * np.sin(angle)], -1).astype(np.float32)

    saliency, dominant = motion_saliency(frames, flow_fn, max_offset=1, box_size=1)
    assert sorted(pairs) == [(0, 1), (1, 0), (1, 2), (2, 1), (2, 3), (3, 2)]
    np.testing.assert_array_equal(dominant, [True, False, True, False])
    assert (saliency[[1, 3]] == 0).all()
    assert saliency[0, 10, 10] == 3.0  # one flow (0 -> 1), magnitude 3
    assert saliency[2, 10, 10] == 3.0  # mean of 2 -> 1 and 2 -> 3
    assert saliency[0, 20, 20] == 0


def test_frame_saliency_border_and_shot_normalisation():
    small = np.ones((3, 10, 10), np.float32)
    small[1] *= 4
    out = to_frame_saliency(small, (80, 40), border_fraction=0.125)
    assert out.shape == (3, 80, 40)
    assert out.max() == 1.0 and np.isclose(out[0].max(), 0.25)  # normalised over the shot
    assert (out[:, :5] == 0).all() and (out[:, :, -5:] == 0).all()  # 12.5% of 40 = 5
    assert (out[:, 5:-5, 5:-5] > 0).all()


def zoom_flow(scale: float, size: int = 64) -> np.ndarray:
    """(size, size, 2) flow of a camera zooming by ``scale`` about the centre."""
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float32)
    centre = (size - 1) / 2
    return np.stack([(xs - centre) * (scale - 1), (ys - centre) * (scale - 1)], -1)


def test_camera_model_finds_a_zoom_the_histogram_test_cannot_and_the_object_in_it():
    from mmmotion.unlc.motion_saliency import camera_motion
    flow = zoom_flow(1.1)
    flow[20:30, 30:40] += (3.0, -2.0)  # an object moving against the zoom
    assert dominant_motion(flow).kind == 'none'  # no single direction holds 75% of the flow
    found = camera_motion(flow)
    assert found.kind == 'camera'
    assert found.saliency[25, 35] > 2.0 and found.saliency[5, 5] < 0.1
    for model in ('affine', 'translation'):
        found = camera_motion(constant_flow(2.0, -1.0), model=model)
        assert found.kind == 'camera' and found.saliency.max() < 1e-3


def test_camera_model_rejects_incoherent_flow_and_bad_models():
    import pytest

    from mmmotion.unlc.motion_saliency import camera_motion
    flow = np.random.default_rng(0).normal(0, 3, (64, 64, 2)).astype(np.float32)
    assert camera_motion(flow).kind == 'none'
    with pytest.raises(ValueError, match='similarity'):
        camera_motion(flow, model='similarity')


def parallax_flow(size: int = 64) -> tuple:
    """A camera translating right over a far background plane, a near static wall (depth parallax:
    it moves 4x as fast) and a far object moving down, across the horizontal epipolar lines.
    Returns (flow (size, size, 2), wall (size, size) bool, object (size, size) bool)."""
    flow = constant_flow(1.0, 0.0, size)
    wall = np.zeros((size, size), bool)
    wall[:, : size // 4] = True  # a quarter of the frame: the homography cannot take it in
    flow[wall] = (4.0, 0.0)
    obj = np.zeros((size, size), bool)
    obj[30:40, 40:50] = True
    flow[obj] = (1.0, 2.5)
    return flow, wall, obj


def test_epipolar_model_does_not_call_a_near_static_wall_moving():
    from mmmotion.unlc.motion_saliency import camera_motion
    flow, wall, obj = parallax_flow()
    inner_wall = np.zeros_like(wall)
    inner_wall[5:-5, 3:12] = True
    plane = camera_motion(flow, model='homography', min_inlier_fraction=0.5)
    epipolar = camera_motion(flow, model='epipolar', min_inlier_fraction=0.5)
    # one homography: the wall's parallax is as salient as the object
    assert plane.saliency[inner_wall].mean() > 0.8 * plane.saliency[obj].mean()
    # plane + parallax: the wall lies on its epipolar lines, the object moves off them
    assert epipolar.saliency[inner_wall].mean() < 0.1 * epipolar.saliency[obj].mean()
    # Sampson's distance shares a vertical offset of 2.5 px between both frames: 2.5 / sqrt(2) at the centre
    assert epipolar.saliency[obj].mean() > 1.0


def test_epipolar_model_keeps_the_homography_on_a_planar_scene():
    from mmmotion.unlc.motion_saliency import camera_motion
    flow = zoom_flow(1.05)
    flow[20:30, 20:30] += (3.0, 0.0)
    np.testing.assert_array_equal(camera_motion(flow, model='epipolar').saliency,
                                  camera_motion(flow, model='homography').saliency)


def test_motion_saliency_uses_the_given_frame_gaps():
    frames = np.zeros((10, 16, 16), np.uint8)
    frames[:] = np.arange(10)[:, None, None]  # frame i is filled with i
    pairs = []

    def flow_fn(source, target):
        pairs.append((int(source[0, 0]), int(target[0, 0])))
        return np.zeros((16, 16, 2), np.float32)

    motion_saliency(frames, flow_fn, offsets=(1, 4), camera_model=dict(model='translation'))
    assert {t - s for s, t in pairs} == {-4, -1, 1, 4}
    assert (5, 1) in pairs and (5, 9) in pairs and (0, 4) in pairs and (0, -4) not in pairs
    pairs.clear()
    motion_saliency(frames, flow_fn, max_offset=2, camera_model=dict(model='translation'))
    assert {t - s for s, t in pairs} == {-2, -1, 1, 2}
