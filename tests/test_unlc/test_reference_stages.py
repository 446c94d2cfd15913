"""The reference's resizing and flow inputs (configs/unlc/reference.py): Pillow's bilinear shrink with truncated
sides, RGB 100x100 frames for the flow, and Ce Liu's flow through pyflow where that module is installed."""
import numpy as np
import pytest
from PIL import Image

from mmmotion.unlc import UNLC
from mmmotion.unlc.flow import PyflowFlow
from mmmotion.utils.fileio import resize_longest_side


def _frames(n=3, h=48, w=70, seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, h, w, 3), dtype=np.uint8)


def test_pil_resampling_is_scipys_imresize_by_a_fraction():
    frames = _frames(h=480, w=854)
    got = resize_longest_side(frames, 600, resample='pil')
    # scipy.misc.imresize(im, frac): PIL's bilinear filter to (int(w * frac), int(h * frac))
    frac = min(600 / 480, 600 / 854)
    size = (int(854 * frac), int(480 * frac))
    expected = np.stack([np.asarray(Image.fromarray(f).resize(size, Image.BILINEAR)) for f in frames])
    np.testing.assert_array_equal(got, expected)
    assert got.shape == (3, 337, 600, 3)
    assert resize_longest_side(frames[0], 600, resample='pil').shape == (337, 600, 3)
    assert resize_longest_side(frames, 900, resample='pil') is frames
    with pytest.raises(ValueError, match='pil'):
        resize_longest_side(frames, 600, resample='cubic')


@pytest.mark.parametrize('resample', ['area', 'pil'])
@pytest.mark.parametrize('colour', [False, True])
def test_flow_frames_are_grey_or_colour_squares(resample, colour):
    frames = _frames()
    unlc = UNLC(resample=resample, motion=dict(size=20, keep_aspect=False, colour=colour))
    small = unlc.flow_frames(frames)
    assert small.dtype == np.uint8 and small.shape == ((3, 20, 20, 3) if colour else (3, 20, 20))
    if resample == 'pil' and colour:  # the reference's imresize(frame, (100, 100)), here 20x20
        np.testing.assert_array_equal(small[1], np.asarray(Image.fromarray(frames[1]).resize((20, 20), Image.BILINEAR)))
    with pytest.raises(ValueError, match='resample'):
        UNLC(resample='nearest')


def test_pyflow_flow_is_named_when_missing_and_follows_a_shift_when_present():
    try:
        import pyflow  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match='reference_opencv'):
            PyflowFlow()
        return
    ys, xs = np.mgrid[0:60, 0:60]
    pattern = (127 + 60 * np.sin(xs / 3.0) * np.cos(ys / 4.0)).astype(np.uint8)
    source = np.stack([pattern] * 3, -1)
    target = np.roll(source, 2, axis=1)  # everything moves 2 px right
    flow = PyflowFlow()(source, target)
    assert flow.shape == (60, 60, 2) and flow.dtype == np.float32
    inner = flow[10:-10, 10:-10]
    assert abs(np.median(inner[..., 0]) - 2) < 0.3 and abs(np.median(inner[..., 1])) < 0.3
    grey = PyflowFlow()(pattern, np.roll(pattern, 2, axis=1))
    assert abs(np.median(grey[10:-10, 10:-10, 0]) - 2) < 0.3


def test_masks_come_back_to_the_frame_size_as_the_reference_writes_them():
    from PIL import Image
    mask = np.zeros((337, 600), bool)
    mask[100:170, 201:333] = True
    mask[5, 7] = True
    got = UNLC(resample='pil').upsample_mask(mask, (854, 480))
    expected = np.asarray(Image.fromarray(mask.astype(np.uint8) * 255).resize((854, 480), Image.NEAREST)) > 0
    np.testing.assert_array_equal(got, expected)
    area = UNLC().upsample_mask(mask, (854, 480))
    assert area.shape == got.shape == (480, 854) and area.dtype == got.dtype == bool
