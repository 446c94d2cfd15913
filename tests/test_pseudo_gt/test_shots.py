"""Shot splitting with PySceneDetect on in-memory frames, and the shot sampling rules."""
import numpy as np
import pytest
from generator_helpers import bikes_path, clip_frames

from mmmotion.utils.video_io import iter_frames
from mmmotion.registry import SHOT_DETECTORS
from mmmotion.pseudo_gt.shots import SingleShot, sample_shot


@pytest.mark.parametrize('detector', ['adaptive', 'content'])
def test_cut_between_two_scenes(detector):
    a = clip_frames(seed=1, n=24)
    b = clip_frames(seed=2, n=20, pan=(1.0, 2.0))
    shots = SHOT_DETECTORS.build(dict(type='PySceneDetectShots', detector=detector))(
        iter(np.concatenate([a, b])))
    assert len(shots) == 2
    (s0, e0), (s1, e1) = shots
    assert s0 == 0 and e1 == 44 and e0 == s1
    assert abs(s1 - 24) <= 1


def test_one_continuous_clip_is_one_shot():
    shots = SHOT_DETECTORS.build(dict(type='PySceneDetectShots'))(iter(clip_frames(seed=3, n=30)))
    assert shots == [(0, 30)]


def test_real_clip_has_several_shots_covering_it():
    shots = SHOT_DETECTORS.build(dict(type='PySceneDetectShots'))(iter_frames(bikes_path()))
    assert len(shots) > 2
    assert shots[0][0] == 0 and shots[-1][1] == 250
    assert all(e0 == s1 for (_, e0), (s1, _) in zip(shots[:-1], shots[1:]))
    assert all(e > s for s, e in shots)


def test_single_shot():
    assert SingleShot()(iter(clip_frames(seed=0, n=7))) == [(0, 7)]
    assert SingleShot()(iter([])) == []


def test_sample_shot_rules():
    assert sample_shot((5, 14)) is None  # 9 frames < 10
    assert sample_shot((5, 15)) == list(range(5, 15))
    assert sample_shot((0, 110)) == list(range(110))
    long = sample_shot((100, 400))
    assert len(long) == 110 and long[0] == 100 and long[-1] == 399
    assert len(set(long)) == 110 and np.all(np.diff(long) >= 2)
    assert sample_shot((0, 40), min_len=5, max_len=8) == [0, 6, 11, 17, 22, 28, 33, 39]
