"""uNLC and the dataset generator run without torch: the tools, the generator's CLI and its pool workers
import none of it (torch takes seconds to import, paid again by every worker), while the registries stay
importable and the MotionMask side still registers. Each check runs in a fresh interpreter."""
import json
import subprocess
import sys

import cv2
import pytest
from generator_helpers import TEST_CFG, box_frames, run_gen, tool_env, write_cfg, write_video
from tool_runner import REPO_ROOT

# Printed by each check: the torch modules loaded (none expected) and the mmmotion ones, to see what came in.
REPORT = '''
import json, sys
print(json.dumps(dict(torch=sorted(m for m in sys.modules if m.split('.')[0] == 'torch'),
                      mmmotion=sorted(m for m in sys.modules if m.startswith('mmmotion')))))
'''


def loaded_after(code: str) -> dict:
    """Running ``code`` in a fresh interpreter (cwd: the repository): the torch and mmmotion modules it loaded."""
    out = subprocess.run([sys.executable, '-c', code + REPORT], cwd=REPO_ROOT, env=tool_env(), capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_generator_cli_unlc_and_their_registries_import_no_torch():
    loaded = loaded_after('import mmmotion.pseudo_gt.cli, mmmotion.unlc, mmmotion.apis.segment\n'
                          'from mmmotion.registry import OPTICAL_FLOWS, SHOT_DETECTORS, MODELS')
    assert loaded['torch'] == [], loaded['mmmotion']


def test_the_tools_import_no_torch_and_segment_without_it(tmp_path):
    """Both tools' files run as modules (their imports, not ``__main__``), then segment_video's ``main`` on a
    folder of frames: uNLC built from its default config through the registries, masks written."""
    frames = tmp_path / 'frames'
    frames.mkdir()
    for i, frame in enumerate(box_frames(n=6)):
        cv2.imwrite(str(frames / f'{i:05d}.png'), frame)
    out = tmp_path / 'masks'
    loaded = loaded_after(
        'import runpy\n'
        "runpy.run_path('tools/unlc/generate_dataset.py', run_name='imported')\n"
        "tool = runpy.run_path('tools/unlc/segment_video.py', run_name='imported')\n"
        f"assert tool['main']([{str(frames)!r}, '--out', {str(out)!r}]) == 0")
    assert loaded['torch'] == [], loaded['mmmotion']
    assert sorted(p.name for p in out.iterdir()) == [f'{i:05d}.png' for i in range(6)]


@pytest.mark.slow
@pytest.mark.e2e
@pytest.mark.parametrize('launcher', ['none', 'ray'])
def test_generator_workers_import_no_torch(tmp_path, launcher):
    """A 2-worker run of the generator tool, in a process pool or on Ray: each worker segments a video and reports
    the libraries it loaded, torch's thread count None where torch was never imported."""
    if launcher == 'ray':
        pytest.importorskip('ray')
    videos = tmp_path / 'videos'
    videos.mkdir()
    for seed in (0, 1):
        write_video(str(videos / f'box{seed}.mp4'), box_frames(n=12, seed=seed))
    summary = tmp_path / 'summary.json'
    run_gen(str(videos), '--out', str(tmp_path / 'ds'), '--config', write_cfg(str(tmp_path / 'cfg.py'), TEST_CFG),
            '--launcher', launcher, '--workers', '2', '--no-progress', '--summary-json', str(summary))
    timing = json.loads(summary.read_text())['timing']
    assert len(timing['videos']) == 2 and all(video['segment_wall_s'] > 0 for video in timing['videos']), timing
    assert all(threads['torch'] is None for threads in timing['library_threads']), timing['library_threads']


def test_the_motionmask_side_still_registers():
    """``custom_imports`` of ``mmmotion.models``, as transfer configs name it, loads torch and registers AlexNet."""
    loaded = loaded_after('from mmengine.utils import import_modules_from_strings\n'
                          "import_modules_from_strings(['mmmotion.models'])\n"
                          'from mmmotion.registry import MODELS\n'
                          "assert MODELS.get('AlexNet') is not None and MODELS.get('MotionMask') is not None")
    assert loaded['torch']
