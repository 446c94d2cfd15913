"""Reading videos and frame folders: RGB output, grey input, sizes, and clear errors."""
import os.path as osp

import cv2
import numpy as np
import pytest
from generator_helpers import bikes_path, clip_frames, write_video

from mmmotion.utils.video_io import (VideoReadError, count_frames, iter_frames, read_frames,
                                     resize_max_side, video_info)


@pytest.fixture(scope='module')
def clip(tmp_path_factory):
    frames = clip_frames(seed=1, n=12)
    path = write_video(str(tmp_path_factory.mktemp('io') / 'clip.mp4'), frames)
    return frames, path


def test_read_video_is_rgb(clip):
    frames, path = clip
    got = read_frames(path)
    assert got.shape == frames.shape and got.dtype == np.uint8
    # lossy codec, but channels must not be swapped: RGB error is far below BGR error
    err_rgb = np.abs(got.astype(int) - frames).mean()
    err_bgr = np.abs(got[..., ::-1].astype(int) - frames).mean()
    assert err_rgb < 8 and err_bgr > 2 * err_rgb
    assert count_frames(path) == 12
    info = video_info(path)
    assert (info.height, info.width, info.num_frames) == (96, 128, 12)
    assert info.fps == pytest.approx(25.0)


def test_iter_lazily_with_limits(clip):
    _, path = clip
    it = iter_frames(path, max_side=64)
    first = next(it)
    assert first.shape == (48, 64, 3)
    assert len(read_frames(path, max_frames=5)) == 5
    picked = read_frames(path, indices=[1, 4, 7])
    assert np.array_equal(picked, read_frames(path)[[1, 4, 7]])


def test_frame_directory_sorted_and_grey(tmp_path):
    frames = clip_frames(seed=2, n=3)
    for i, name in enumerate(['b_1.png', 'c_2.png', 'a_0.png']):  # names sort as a, b, c
        cv2.imwrite(str(tmp_path / name), cv2.cvtColor(frames[[1, 2, 0][i]], cv2.COLOR_RGB2BGR))
    (tmp_path / 'notes.txt').write_text('ignored')
    got = read_frames(str(tmp_path))
    assert np.array_equal(got, frames)  # PNG is lossless
    assert video_info(str(tmp_path)).num_frames == 3

    grey_dir = tmp_path / 'grey'
    grey_dir.mkdir()
    cv2.imwrite(str(grey_dir / '0.png'), np.full((10, 12), 77, np.uint8))
    grey = read_frames(str(grey_dir))
    assert grey.shape == (1, 10, 12, 3) and (grey == 77).all()


def test_grey_video_becomes_rgb(tmp_path):
    grey = clip_frames(seed=0, n=10).mean(axis=-1).astype(np.uint8)
    got = read_frames(write_video(str(tmp_path / 'grey.mp4'), grey))
    assert got.shape == (10, 96, 128, 3)
    assert np.abs(got[..., 0].astype(int) - got[..., 2]).max() <= 2


def test_resize_max_side():
    img = np.zeros((1000, 3000, 3), np.uint8)
    assert resize_max_side(img, 650).shape == (217, 650, 3)
    assert resize_max_side(img, 5000) is img


def test_real_clip_reads():
    it = iter_frames(bikes_path(), max_frames=3)
    frames = list(it)
    assert len(frames) == 3 and frames[0].shape == (272, 640, 3)


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize('make, reason', [
    (lambda d: d / 'missing.mp4', 'no such file'),
    (lambda d: _write(d / 'empty.mp4', b''), 'empty file'),
    (lambda d: _write(d / 'text.mp4', b'not a video\n' * 50), 'cannot open as a video'),
    (lambda d: _write(d / 'noise.avi',
                      np.random.default_rng(0).bytes(20000)), 'cannot open as a video'),
])
def test_errors_name_path_and_reason(tmp_path, make, reason):
    path = str(make(tmp_path))
    with pytest.raises(VideoReadError) as exc:
        read_frames(path)
    assert exc.value.path == path and reason in exc.value.reason
    assert path in str(exc.value)


def test_corrupt_and_frameless(tmp_path, clip):
    _, path = clip
    data = open(path, 'rb').read()
    corrupt = tmp_path / 'corrupt.mp4'
    corrupt.write_bytes(data[:len(data) // 3])
    with pytest.raises(VideoReadError):
        read_frames(str(corrupt))
    (tmp_path / 'frames').mkdir()
    with pytest.raises(VideoReadError, match='no image files'):
        read_frames(str(tmp_path / 'frames'))
    (tmp_path / 'frames' / '0.jpg').write_bytes(b'garbage')
    with pytest.raises(VideoReadError, match='cannot read frame image 0.jpg'):
        read_frames(str(tmp_path / 'frames'))


def test_changing_frame_size_is_an_error(tmp_path):
    cv2.imwrite(str(tmp_path / '0.png'), np.zeros((10, 10, 3), np.uint8))
    cv2.imwrite(str(tmp_path / '1.png'), np.zeros((12, 10, 3), np.uint8))
    with pytest.raises(VideoReadError, match='frame 1 has size'):
        read_frames(str(tmp_path))
    assert osp.isdir(tmp_path)
