"""End-to-end dataset generation with the real uNLC: layout, COCO, resume after a kill, Ray,
shards and bad input. Every parallel, sharded or resumed run must give byte-identical files to a
single uninterrupted run."""
import glob
import os
import os.path as osp
import shutil
import signal
import subprocess
import time

import cv2
import numpy as np
import pytest
from generator_helpers import (TEST_CFG, box_frames, clip_frames, dataset_files, gen_cmd,
                               gen_tool_main, make_video_set, run_gen, tool_env, write_cfg,
                               write_video)
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO

from mmmotion.pseudo_gt.generate import generate_dataset, load_config, resolve_segmenter
from mmmotion.pseudo_gt import MergeError, build_coco, merge_dataset
from mmmotion.utils.video_io import read_frames, resize_max_side

FRAME_RULES = {'too_large', 'too_small', 'touches_border', 'low_quality', 'shot_too_few_frames', 'not_selected'}


@pytest.fixture(scope='module')
def videos(tmp_path_factory):
    root = tmp_path_factory.mktemp('gen_inputs')
    paths = make_video_set(str(root / 'videos'))
    list_file = root / 'list.txt'
    # relative paths, resolved against the list's folder; a comment and a blank line
    lines = ['# YFCC-style list'] + [osp.join('videos', osp.basename(p)) for p in paths] + ['']
    list_file.write_text('\n'.join(lines))
    return dict(list=str(list_file), cfg=write_cfg(str(root / 'gen_cfg.py')), n=len(paths))


@pytest.fixture(scope='module')
def reference(videos, tmp_path_factory):
    """The dataset of a single uninterrupted in-process run."""
    out = str(tmp_path_factory.mktemp('reference') / 'ds')
    summary = generate_dataset(videos['list'], out, cfg=videos['cfg'])
    return out, summary


def _records(out):
    return {osp.basename(p)[:-5]: p for p in glob.glob(osp.join(out, 'records', '*.json'))}


@pytest.mark.slow
def test_reference_layout_summary_and_manifest(videos, reference):
    out, summary = reference
    assert summary['merged'] and summary['processed'] == videos['n']
    assert summary['videos']['total'] == videos['n']
    assert summary['videos']['ok'] >= 1
    assert summary['videos']['ok'] + summary['videos']['rejected'] == videos['n']
    assert summary['frames']['kept'] > 0 and summary['frames_per_s'] > 0
    files = dataset_files(out)
    assert not [f for f in files if '.tmp-' in f]
    images = sorted(f for f in files if f.startswith('images/'))
    masks = sorted(f for f in files if f.startswith('masks/'))
    assert len(images) == len(masks) == summary['frames']['kept']
    assert [m[len('masks/'):-4] for m in masks] == [i[len('images/'):-4] for i in images]

    import json
    lines = [json.loads(ln) for ln in open(osp.join(out, 'manifest.jsonl'))]
    assert [ln['video_id'] for ln in lines] == sorted(['clip1', 'box', 'clip3', 'bikes'])
    for ln in lines:
        if ln['status'] != 'ok':
            assert ln['reason']
        for shot in ln['shots']:
            assert shot['status'] in ('ok', 'rejected', 'failed')
            assert (shot['reason'] is None) == (shot['status'] == 'ok')
            for fr in shot.get('frames', []):
                assert fr['kept'] == (fr['reason'] is None)
                assert fr['kept'] or fr['reason'] in FRAME_RULES
                assert 0 <= fr['fg'] <= 1 and 0 <= fr['border_fg'] <= 1
                assert set(fr['quality']) == {'consistency', 'separation', 'off_border', 'score'}
                assert all(0 <= v <= 1 for v in fr['quality'].values())
    bikes = next(ln for ln in lines if ln['video_id'] == 'bikes')
    assert (bikes['height'], bikes['width']) == (272, 640)  # real footage, downscaled
    assert (bikes['proc_height'], bikes['proc_width']) == (54, 128)
    assert len(bikes['shots']) > 2 and bikes['num_frames'] == 250
    assert all(s.get('sampled', 0) <= 16 for s in bikes['shots'])
    short = [s for s in bikes['shots'] if s['end'] - s['start'] < 10]
    assert short and all(s['reason'] == 'shot_too_short' for s in short)
    totals = json.load(open(osp.join(out, 'manifest.json')))
    assert totals['frames']['kept'] == summary['frames']['kept']


@pytest.mark.slow
def test_coco_loads_and_rle_matches_segmentation(videos, reference):
    out, _ = reference
    coco = COCO(osp.join(out, 'annotations', 'unlc_coco.json'))
    assert [c['name'] for c in coco.loadCats(coco.getCatIds())] == ['moving_object']
    # the streamed file holds what build_coco makes of the records in memory
    import json
    records = [json.load(open(p)) for p in _records(out).values()]
    assert coco.dataset == build_coco(records)
    img_ids = coco.getImgIds()
    assert len(img_ids) == len(coco.getAnnIds()) > 0
    for img in coco.loadImgs(img_ids):
        (ann, ) = coco.loadAnns(coco.getAnnIds(imgIds=img['id']))
        mask = coco.annToMask(ann)
        soft = cv2.imread(osp.join(out, 'masks', img['mask_file']), cv2.IMREAD_UNCHANGED)
        jpg = cv2.imread(osp.join(out, 'images', img['file_name']))
        assert mask.shape == soft.shape == jpg.shape[:2] == (img['height'], img['width'])
        assert ann['area'] == mask.sum() > 0
        x, y, w, h = ann['bbox']
        ys, xs = np.nonzero(mask)
        assert (x, y, x + w, y + h) == (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1)
        assert soft.dtype == np.uint8
        assert soft[mask > 0].mean() > soft[mask == 0].mean()

    # Re-segment one kept shot of clip1 and check every written mask against uNLC's output.
    rec = json.load(open(osp.join(out, 'records', 'clip1.json')))
    shot = next(s for s in rec['shots'] if s['status'] == 'ok')
    ids = [f['frame'] for f in shot['frames']]
    frames = np.stack([
        resize_max_side(f, 128) for f in read_frames(
            osp.join(osp.dirname(videos['list']), 'videos', 'clip1.mp4'), indices=ids)
    ])
    soft, binary = resolve_segmenter(load_config(videos['cfg']))(frames)
    by_frame = {im['frame_index']: im for im in coco.loadImgs(img_ids) if im['video_id'] == 'clip1'}
    kept = [f for f in shot['frames'] if f['kept']]
    assert kept and all(f['frame'] in by_frame for f in kept)
    for f in kept:
        i = ids.index(f['frame'])
        im = by_frame[f['frame']]
        (ann, ) = coco.loadAnns(coco.getAnnIds(imgIds=im['id']))
        assert np.array_equal(mask_utils.decode(ann['segmentation']).astype(bool), binary[i])
        png = cv2.imread(osp.join(out, 'masks', im['mask_file']), cv2.IMREAD_UNCHANGED)
        assert np.array_equal(png, np.round(np.clip(soft[i], 0, 1) * 255).astype(np.uint8))
        assert f['fg'] == pytest.approx(binary[i].mean(), abs=1e-6)


@pytest.mark.slow
@pytest.mark.e2e
def test_resume_after_kill_gives_the_same_dataset(videos, reference, tmp_path):
    out = str(tmp_path / 'ds')
    proc = subprocess.Popen(
        gen_cmd(videos['list'], '--out', out, '--config', videos['cfg'], '--no-progress'),
        env=tool_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True)
    while not _records(out) and proc.poll() is None:  # the first record, however slow the machine
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    _, err = proc.communicate()
    assert proc.returncode == -signal.SIGKILL, err.decode()[-3000:]
    done = _records(out)
    assert 1 <= len(done) < videos['n'], 'the run was not interrupted mid-way'
    assert not osp.exists(osp.join(out, 'annotations', 'unlc_coco.json'))
    # Leftovers a kill can leave: a half-written video and temporary files.
    todo = sorted({'clip1', 'box', 'clip3', 'bikes'} - set(done))[0]
    os.makedirs(osp.join(out, 'images', todo), exist_ok=True)
    open(osp.join(out, 'images', todo, '000_000003.jpg'), 'wb').write(b'partial')
    open(osp.join(out, 'records', f'.{todo}.json.tmp-x1'), 'w').write('{"video_id": ')

    res = run_gen(videos['list'], '--out', out, '--config', videos['cfg'], '--resume',
                  '--no-progress')
    assert f'{len(done)} resumed' in res.stdout
    assert dataset_files(out) == dataset_files(reference[0])


@pytest.mark.slow
def test_two_shards_then_merge_equal_one_shard(videos, reference, tmp_path, capsys):
    out = str(tmp_path / 'ds')
    s1 = generate_dataset(videos['list'], out, cfg=videos['cfg'], num_shards=2, shard_id=1)
    assert not s1['merged'] and s1['processed'] == 2  # videos 1 and 3 of the list
    assert sorted(_records(out)) == ['bikes', 'box']
    with pytest.raises(MergeError, match='no record'):
        merge_dataset(out, ['clip1', 'box', 'clip3', 'bikes'])
    s0 = generate_dataset(
        videos['list'], out, cfg=videos['cfg'], num_shards=2, shard_id=0,
        workers=2)  # a process pool
    assert s0['merged']  # the last shard to finish merges
    assert dataset_files(out) == dataset_files(reference[0])
    # the explicit merge step rebuilds the same files
    for name in ('annotations/unlc_coco.json', 'manifest.jsonl', 'manifest.json'):
        os.remove(osp.join(out, name))
    assert gen_tool_main([videos['list'], '--out', out, '--merge']) == 0
    assert 'dataset:' in capsys.readouterr().out
    assert dataset_files(out) == dataset_files(reference[0])


@pytest.mark.slow
def test_other_settings_refused_in_the_same_dir(videos, reference, tmp_path):
    out = str(tmp_path / 'ds')
    shutil.copytree(reference[0], out)
    cfg = write_cfg(str(tmp_path / 'other.py'), dict(generator=dict(image_max_side=100)))
    with pytest.raises(ValueError, match='other settings'):
        generate_dataset(videos['list'], out, cfg=cfg, resume=True)


@pytest.mark.slow
@pytest.mark.e2e
def test_bad_inputs_logged_and_the_run_goes_on(tmp_path):
    d = tmp_path / 'videos'
    d.mkdir()
    good = write_video(str(d / 'a_good.mp4'), clip_frames(seed=1, n=16))
    data = open(good, 'rb').read()
    (d / 'b_corrupt.mp4').write_bytes(data[:len(data) // 2][:64] + bytes(4000))
    (d / 'c_text.mp4').write_text('this is not a video\n' * 100)
    (d / 'd_empty.mp4').write_bytes(b'')
    write_video(str(d / 'e_single.mp4'), clip_frames(seed=2, n=1))
    grey = clip_frames(seed=3, n=16).mean(axis=-1).astype(np.uint8)
    write_video(str(d / 'f_grey.mp4'), grey)
    write_video(str(d / 'g_tiny.mp4'), clip_frames(seed=1, n=16)[:, 40:48, 60:68])
    huge = np.stack([cv2.resize(f, (1280, 960)) for f in clip_frames(seed=3, n=12)])
    write_video(str(d / 'h_huge.mp4'), huge)
    (d / 'i_frames').mkdir()
    for i, f in enumerate(clip_frames(seed=1, n=12)):
        cv2.imwrite(str(d / 'i_frames' / f'{i:05d}.png'), cv2.cvtColor(f, cv2.COLOR_RGB2BGR))
    cfg = write_cfg(str(tmp_path / 'cfg.py'))
    out = str(tmp_path / 'ds')
    res = run_gen(str(d), '--out', out, '--config', cfg, '--no-progress')

    import json
    recs = {k: json.load(open(p)) for k, p in _records(out).items()}
    assert sorted(recs) == [
        'a_good', 'b_corrupt', 'c_text', 'd_empty', 'e_single', 'f_grey', 'g_tiny', 'h_huge',
        'i_frames'
    ]
    expected = {
        'b_corrupt': ('failed', 'read_error: cannot open as a video'),
        'c_text': ('failed', 'read_error: cannot open as a video'),
        'd_empty': ('failed', 'read_error: empty file'),
        'e_single': ('rejected', 'too_few_frames: 1 frame(s)'),
        'g_tiny': ('rejected', 'resolution_too_small: 8x8'),
    }
    for vid, (status, reason) in expected.items():
        assert recs[vid]['status'] == status and recs[vid]['reason'].startswith(reason), recs[vid]
        assert f'{vid} ({vid}' in res.stderr and reason in res.stderr  # logged, naming the file
        assert not osp.exists(osp.join(out, 'images', vid))
    for vid in ('a_good', 'f_grey', 'h_huge', 'i_frames'):  # readable: segmented
        assert recs[vid]['status'] != 'failed' and recs[vid]['shots'][0]['frames'], recs[vid]
        kept = sum(f['kept'] for s in recs[vid]['shots'] for f in s['frames'])
        assert len(glob.glob(osp.join(out, 'images', vid, '*.jpg'))) == kept
    assert (recs['h_huge']['height'], recs['h_huge']['width']) == (960, 1280)
    assert (recs['h_huge']['proc_height'], recs['h_huge']['proc_width']) == (96, 128)
    assert 'videos: 9 (ok' in res.stdout and 'failed 3' in res.stdout
    coco = COCO(osp.join(out, 'annotations', 'unlc_coco.json'))
    assert {im['video_id']
            for im in coco.dataset['images']
            } == {vid
                  for vid, r in recs.items() if r['status'] == 'ok'}


@pytest.mark.slow
@pytest.mark.e2e
def test_dying_worker_loses_only_its_video_and_resume_retries_it(tmp_path):
    d = tmp_path / 'videos'
    d.mkdir()
    write_video(str(d / 'a.mp4'), box_frames(n=16))
    write_video(str(d / 'b.mp4'), box_frames(n=12, seed=1))  # its worker dies
    write_video(str(d / 'c.mp4'), clip_frames(seed=1, n=16))
    write_video(str(d / 'd.mp4'), box_frames(n=14, seed=2))
    cfg = write_cfg(
        str(tmp_path / 'cfg.py'), dict(TEST_CFG, segmenter='generator_helpers.crash_or_segment'))
    out = str(tmp_path / 'ds')
    args = (str(d), '--out', out, '--config', cfg, '--no-progress')
    res = run_gen(*args, '--workers', '2', returncode=1, env=tool_env(MMMOTION_TEST_CRASH='12'))
    assert 'b (b.mp4): worker died' in res.stderr and 'rerun with --resume' in res.stderr
    done = set(_records(out))
    # b's pool is replaced: only what was in flight in it with b (the window holds 2) is lost, each
    # named; which other video that is depends on timing (a if b died first, else the one after a)
    lost = {'a', 'b', 'c', 'd'} - done
    assert 'b' in lost and len(lost) <= 2 and len(done) >= 2
    for vid in lost:
        assert f'{vid} ({vid}.mp4): worker died' in res.stderr
    assert not glob.glob(osp.join(out, 'shards', '*'))  # the shard is not complete ...
    assert not osp.exists(osp.join(out, 'annotations', 'unlc_coco.json'))  # ... nor merged

    before = {vid: open(p, 'rb').read() for vid, p in _records(out).items()}
    res = run_gen(*args, '--resume')  # no crash this time; one process
    assert f'{len(done)} resumed' in res.stdout
    after = _records(out)
    assert sorted(after) == ['a', 'b', 'c', 'd']
    assert all(open(after[vid], 'rb').read() == data for vid, data in before.items())
    assert glob.glob(osp.join(out, 'shards', 'shard-0-of-1.json'))
    coco = COCO(osp.join(out, 'annotations', 'unlc_coco.json'))
    assert 'b' in {im['video_id'] for im in coco.dataset['images']}


@pytest.mark.slow
@pytest.mark.e2e
def test_a_run_where_every_video_fails_exits_non_zero_and_resume_retries_failures(tmp_path):
    """All entries unreadable: exit 1, naming the reasons, also in the summary JSON; --resume
    retries failed videos once they are readable (--no-retry-failed keeps them)."""
    import json
    d = tmp_path / 'videos'
    d.mkdir()
    (d / 'a.mp4').write_text('this is not a video\n' * 100)
    (d / 'b.mp4').write_bytes(b'')
    cfg = write_cfg(str(tmp_path / 'cfg.py'))
    out = str(tmp_path / 'ds')
    summary_json = str(tmp_path / 'summary.json')
    res = run_gen(str(d), '--out', out, '--config', cfg, '--no-progress', '--summary-json',
                  summary_json, returncode=1)
    assert '2 of 2 video(s) failed' in res.stderr and 'read_error: 2' in res.stderr
    failure = json.load(open(summary_json))['failure']
    assert failure['failed'] == failure['total'] == 2 and failure['error']

    write_video(str(d / 'a.mp4'), clip_frames(seed=1, n=16))  # now readable
    run_gen(str(d), '--out', out, '--config', cfg, '--no-progress', '--resume',
            '--no-retry-failed', returncode=1)
    assert json.load(open(_records(out)['a']))['status'] == 'failed'  # kept as it was
    res = run_gen(str(d), '--out', out, '--config', cfg, '--no-progress', '--resume',
                  '--max-failed-fraction', '0.5')
    assert json.load(open(_records(out)['a']))['status'] != 'failed'
    assert 'failed 1' in res.stdout  # b.mp4 still fails, within the allowed fraction
    run_gen(str(d), '--out', out, '--config', cfg, '--no-progress', '--resume',
            '--max-failed-fraction', '0.2', returncode=1)


@pytest.mark.e2e
def test_an_empty_input_folder_exits_non_zero(tmp_path):
    (tmp_path / 'videos').mkdir()
    res = run_gen(str(tmp_path / 'videos'), '--out', str(tmp_path / 'ds'), '--no-progress',
                  returncode=1)
    assert 'no videos to process' in res.stderr


@pytest.mark.slow
def test_run_gen_stops_a_stalled_run_but_not_a_slow_one(monkeypatch, tmp_path):
    """The helper's timeout follows progress: silence for stall_timeout seconds stops a run; a run
    longer than that which keeps logging is left to finish."""
    import sys

    import generator_helpers
    stalled = [sys.executable, '-c', 'import time; time.sleep(30)']
    monkeypatch.setattr(generator_helpers, 'gen_cmd', lambda *args: stalled)
    with pytest.raises(AssertionError, match='no progress for 5 s'):  # killed, not finished
        generator_helpers.run_gen('--out', str(tmp_path), stall_timeout=5)
    slow = [sys.executable, '-u', '-c', 'import time\nfor i in range(9):\n'
            '    print(i, flush=True)\n    time.sleep(1)']
    monkeypatch.setattr(generator_helpers, 'gen_cmd', lambda *args: slow)
    out = generator_helpers.run_gen('--out', str(tmp_path), stall_timeout=5).stdout
    assert out.split() == [str(i) for i in range(9)]
