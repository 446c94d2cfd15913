"""The label-free frame quality score: its terms on constructed masks, and on a real clip a broken mask
ranks below uNLC's."""
import numpy as np
import pytest

from mmmotion.pseudo_gt.quality import border_share, energy_separation, frame_quality, temporal_consistency


def square(n: int = 6, size: int = 64, at=(20, 20), side: int = 16) -> np.ndarray:
    masks = np.zeros((n, size, size), bool)
    masks[:, at[0]:at[0] + side, at[1]:at[1] + side] = True
    return masks


def test_temporal_consistency():
    steady = square()
    assert np.allclose(temporal_consistency(steady), 1)
    jumping = steady.copy()
    jumping[3] = np.roll(jumping[3], 30, axis=1)  # one frame's mask elsewhere
    scores = temporal_consistency(jumping)
    assert scores[3] == 0 and scores[0] == 1 and 0 < scores[2] < 1
    assert temporal_consistency(steady[:1])[0] == 0  # a single frame has no neighbour


def test_energy_separation():
    masks = square()
    sharp = masks.astype(np.float32)
    plateau = np.full(masks.shape, 0.9, np.float32)  # a threshold cut through a plateau
    assert np.allclose(energy_separation(sharp, masks), 1)
    assert np.allclose(energy_separation(plateau, masks), 0)
    assert energy_separation(sharp, np.zeros_like(masks))[0] == 0


def test_border_share_and_the_product():
    inner = square()
    ground = np.zeros_like(inner)
    ground[:, 48:] = True  # the bottom of the frame, as a road under a moving camera
    assert border_share(inner).max() == 0
    assert border_share(ground).min() > 0.2
    q = frame_quality(inner.astype(np.float32), inner)
    assert set(q) == {'consistency', 'separation', 'off_border', 'score'}
    np.testing.assert_allclose(q['score'], q['consistency'] * q['separation'] * q['off_border'])
    assert q['score'].min() > frame_quality(ground.astype(np.float32), ground)['score'].max()


@pytest.mark.real_data('davis16_dev')
def test_on_a_real_clip_a_broken_mask_scores_below_unlc_s():
    """DAVIS dog, 10 frames: uNLC's masks against the same masks broken two ways, moved off the dog to
    another place in every other frame (they jump) and replaced by the bottom of the frame (the ground)."""
    import os.path as osp

    import cv2
    from real_data import data_path

    from mmmotion.apis import build_unlc
    from mmmotion.utils.video_io import read_frames
    root = osp.join(data_path('davis16_dev'), 'JPEGImages', '480p', 'dog')
    frames = np.stack([cv2.resize(f, (320, 180), interpolation=cv2.INTER_AREA)
                       for f in read_frames(root, max_frames=10)])
    soft, binary = build_unlc(None, dict(max_side=320))(frames)
    good = frame_quality(soft, binary)['score']
    jumping = binary.copy()
    jumping[::2] = np.roll(binary[::2], 160, axis=2)
    ground = np.zeros_like(binary)
    ground[:, 120:] = True
    assert good.mean() > 0.2
    assert frame_quality(soft, jumping)['score'].mean() < 0.5 * good.mean()
    assert frame_quality(soft, ground)['score'].max() < good.mean()
