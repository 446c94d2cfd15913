import numpy as np
import pytest

from mmmotion.unlc import UNLC
from mmmotion.unlc.shot_appearance import grow_with_shot_colours, shot_colour_posterior
from mmmotion.unlc.voting import frame_offsets_of


def two_colour_object(n: int = 4, size: int = 48):
    """Frames with a grey background and an object made of a red and a blue half; the energy lights
    up only the red half (the part that moved). Superpixels: a 6x6 grid of 8x8 blocks."""
    frames = np.full((n, size, size, 3), 128, np.uint8)
    frames[:, 16:32, 16:24] = (220, 30, 30)
    frames[:, 16:32, 24:32] = (30, 30, 220)
    energy = np.zeros((n, size, size), np.float32)
    energy[:, 16:32, 16:24] = 1.0
    blocks = (np.arange(size) // 8)
    labels = np.broadcast_to(blocks[:, None] * (size // 8) + blocks[None, :], (n, size, size)).copy()
    return frames, energy, labels


def test_shot_posterior_prefers_the_foreground_colour():
    frames, energy, _ = two_colour_object()
    posterior = shot_colour_posterior(frames, energy)
    assert posterior[0, 20, 20] > 0.9  # red: seen only in the foreground
    assert posterior[0, 2, 2] < 0.1  # grey: background
    assert shot_colour_posterior(frames, np.zeros_like(energy)).min() == 0.5  # no foreground: no model


def test_growth_keeps_the_energy_without_weight_and_normalises_frames():
    frames, energy, labels = two_colour_object()
    offsets = frame_offsets_of(labels)
    np.testing.assert_array_equal(grow_with_shot_colours(frames, energy, labels, offsets, weight=0), energy)
    grown = grow_with_shot_colours(frames, energy, labels, offsets, weight=0.5)
    assert grown.shape == energy.shape and np.allclose(grown.reshape(len(grown), -1).max(1), 1)
    assert grown[0, 2, 2] < 0.05  # far background stays low


def test_unlc_builds_the_shot_appearance_stage_from_config():
    unlc = UNLC(appearance=dict(type='ShotColourGrowth', weight=0.3))
    assert unlc.appearance.kwargs['weight'] == 0.3
    with pytest.raises(TypeError, match='unknown key'):
        UNLC(appearance=dict(type='ShotColourGrowth', wieght=0.3))


def test_growth_spreads_a_colour_seen_moving_in_other_frames_of_the_shot():
    """Frames 0-1: only the red half moved. Frames 2-3: the whole object did. Over the shot both
    colours are the object's, so frame 0's blue half rises near its red half, the background does not."""
    frames, energy, labels = two_colour_object()
    energy[2:, 16:32, 24:32] = 1.0
    offsets = frame_offsets_of(labels)
    grown = grow_with_shot_colours(frames, energy, labels, offsets, weight=0.5)
    assert energy[0, 20, 28] == 0
    assert grown[0, 20, 28] > 0.3  # blue half of frame 0: half the weight of a colour mostly seen moving
    assert grown[0, 20, 28] > 5 * grown[0, 20, 40]  # grey just beside the object
