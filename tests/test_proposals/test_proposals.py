"""Selective-search proposals for Fast R-CNN: the pure function, the API, the CLI, and mmdet loading them."""
import os
import os.path as osp
import pickle
import shutil
import signal
import subprocess
import sys
import time

import cv2
import numpy as np
import pytest
import scipy.io

from mmmotion.proposals import (compute_proposals, convert_proposals, proposal_recall, voc_gt_boxes,
                                voc_split_images)
from mmmotion.proposals.io import proposal_key
from mmmotion.proposals.selective_search import selective_search
from mmmotion.testing.toy_voc import TOY_CLASSES, make_toy_voc, read_voc_boxes

from tool_runner import REPO_ROOT, run_tool

TOOL = 'tools/proposals/selective_search.py'


@pytest.fixture(scope='module')
def voc(tmp_path_factory) -> dict:
    """A toy VOC2007 with fast-mode proposals for trainval (2 processes) and test (in process)."""
    root = str(tmp_path_factory.mktemp('proposals_voc'))
    year_root = make_toy_voc(root, splits={'train': 4, 'val': 2, 'test': 3}, seed=0)
    summaries = {
        'trainval': compute_proposals(year_root, osp.join(year_root, 'proposals', 'trainval.pkl'), 'trainval',
                                      workers=2, progress=False),
        'test': compute_proposals(year_root, osp.join(year_root, 'proposals', 'test.pkl'), 'test', workers=1,
                                  progress=False),
    }
    return dict(root=root, year_root=year_root, summaries=summaries)


def load(path: str) -> dict:
    with open(path, 'rb') as f:
        return pickle.load(f)


def assert_same_proposals(a: dict, b: dict) -> None:
    assert list(a) == list(b)
    for key in a:
        np.testing.assert_array_equal(a[key]['bboxes'], b[key]['bboxes'], err_msg=key)
        np.testing.assert_array_equal(a[key]['scores'], b[key]['scores'], err_msg=key)


# ---------------------------------------------------------------------------------------------------
# selective_search()


def test_selective_search_boxes_are_valid_ranked_and_reproducible(voc):
    image = cv2.imread(osp.join(voc['year_root'], 'JPEGImages', '000001.jpg'))
    height, width = image.shape[:2]
    boxes = selective_search(image, mode='fast', max_proposals=2000, min_size=12)
    assert boxes.dtype == np.float32 and boxes.ndim == 2 and boxes.shape[1] == 4 and len(boxes) > 50
    assert (boxes[:, :2] >= 0).all() and (boxes[:, 2] <= width - 1).all() and (boxes[:, 3] <= height - 1).all()
    assert (boxes[:, 2] - boxes[:, 0] + 1 >= 12).all() and (boxes[:, 3] - boxes[:, 1] + 1 >= 12).all()
    assert len(np.unique(boxes, axis=0)) == len(boxes)
    np.testing.assert_array_equal(boxes, selective_search(image, mode='fast', min_size=12))
    # max_proposals keeps the best-ranked prefix.
    np.testing.assert_array_equal(selective_search(image, mode='fast', max_proposals=20, min_size=12), boxes[:20])
    # Grayscale input works; nonsense is refused clearly.
    assert len(selective_search(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), mode='single')) > 0
    with pytest.raises(ValueError, match='mode'):
        selective_search(image, mode='slow')
    with pytest.raises(TypeError, match='uint8'):
        selective_search(image.astype(np.float32))


def test_selective_search_downscales_and_maps_boxes_back(voc):
    """A 2x image searched at half size gives boxes in the big image's coordinates that still find the
    objects (scaled ground truth)."""
    image = cv2.imread(osp.join(voc['year_root'], 'JPEGImages', '000002.jpg'))
    big = cv2.resize(image, None, fx=2, fy=2, interpolation=cv2.INTER_LINEAR)
    boxes = selective_search(big, mode='fast', resize_to=256)
    assert boxes[:, 2].max() > 300 and boxes[:, 2].max() <= big.shape[1] - 1
    gt = read_voc_boxes(voc['year_root'], '000002') * 2
    assert proposal_recall({'k': dict(bboxes=boxes)}, {'k': gt}, 0.5) == 1.0


# ---------------------------------------------------------------------------------------------------
# compute_proposals(): the file mmdet reads


@pytest.mark.parametrize('split', ['trainval', 'test'])
def test_one_entry_per_image_in_split_order(voc, split):
    proposals = load(osp.join(voc['year_root'], 'proposals', f'{split}.pkl'))
    paths = voc_split_images(voc['year_root'], split)
    assert list(proposals) == [f'JPEGImages/{osp.basename(p)}' for p in paths]
    for key, item in proposals.items():
        assert item['bboxes'].dtype == np.float32 and item['bboxes'].shape[1] == 4 and len(item['bboxes']) > 0
        assert item['scores'].shape == (len(item['bboxes']),)
        assert (np.diff(item['scores']) < 0).all(), f'{key}: scores must rank the boxes, best first'
    summary = voc['summaries'][split]
    assert summary.num_images == len(paths) and summary.num_computed == len(paths) and not summary.failures


def test_recall_of_ground_truth_is_high(voc):
    """Measured on this toy data: fast mode finds all 21 objects at IoU 0.5 (0.93 on 36 other toy
    images), top 100 per image find 20 of 21."""
    recalls = {}
    for split in ('trainval', 'test'):
        proposals = load(osp.join(voc['year_root'], 'proposals', f'{split}.pkl'))
        gt = voc_gt_boxes(voc_split_images(voc['year_root'], split))
        recalls[split] = (proposal_recall(proposals, gt, 0.5), proposal_recall(proposals, gt, 0.5, top_k=100))
    for split, (recall_all, recall_100) in recalls.items():
        assert recall_all >= 0.85, (split, recalls)
        assert recall_100 >= 0.75, (split, recalls)


@pytest.mark.parametrize('split', ['trainval', 'test'])
def test_output_loads_in_mmdet_voc_dataset(voc, split):
    from mmdet.registry import DATASETS
    from mmdet.utils import register_all_modules
    register_all_modules()
    dataset = DATASETS.build(dict(
        type='VOCDataset',
        data_root=voc['root'],
        ann_file=f'VOC2007/ImageSets/Main/{split}.txt',
        data_prefix=dict(sub_data_root='VOC2007/'),
        metainfo=dict(classes=TOY_CLASSES),
        proposal_file=f'VOC2007/proposals/{split}.pkl',
        test_mode=True,
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='LoadProposals', num_max_proposals=300),
            dict(type='LoadAnnotations', with_bbox=True),
            dict(type='ProposalBroadcaster', transforms=[dict(type='Resize', scale=(320, 240), keep_ratio=True)]),
            dict(type='PackDetInputs'),
        ]))
    assert len(dataset) == len(voc_split_images(voc['year_root'], split))
    for index in range(len(dataset)):
        item = dataset[index]
        proposals = item['data_samples'].proposals
        assert proposals.bboxes.ndim == 2 and proposals.bboxes.shape[1] == 4
        assert 0 < len(proposals.bboxes) <= 300


# ---------------------------------------------------------------------------------------------------
# Resuming and failures


def test_resume_from_partial_cache_gives_identical_output_without_recomputing(voc, tmp_path):
    year_root = voc['year_root']
    reference = load(osp.join(year_root, 'proposals', 'trainval.pkl'))
    cache_dir = str(tmp_path / 'cache')
    out = str(tmp_path / 'trainval.pkl')
    # A run that stopped half way: 3 of 6 images cached, one more half written, one cache file truncated.
    keys = list(reference)
    for key in keys[:3]:
        os.makedirs(osp.dirname(osp.join(cache_dir, key)), exist_ok=True)
        np.save(osp.join(cache_dir, f'{key}.npy'), reference[key]['bboxes'])
    with open(osp.join(cache_dir, f'{keys[3]}.npy.999.partial'), 'wb') as f:
        f.write(b'\x93NUMPY half')
    with open(osp.join(cache_dir, f'{keys[4]}.npy'), 'wb') as f:
        f.write(b'\x93NUMPY')
    kept = {key: os.stat(osp.join(cache_dir, f'{key}.npy')).st_mtime_ns for key in keys[:3]}

    summary = compute_proposals(year_root, out, 'trainval', workers=1, cache_dir=cache_dir, progress=False)
    assert (summary.num_cached, summary.num_computed) == (3, 3)
    assert {key: os.stat(osp.join(cache_dir, f'{key}.npy')).st_mtime_ns for key in keys[:3]} == kept
    assert_same_proposals(load(out), reference)
    # Everything cached now: nothing is recomputed.
    again = compute_proposals(year_root, out, 'trainval', workers=2, cache_dir=cache_dir, progress=False)
    assert (again.num_cached, again.num_computed) == (6, 0)
    assert_same_proposals(load(out), reference)
    # A cache made with other settings is not silently reused.
    with pytest.raises(ValueError, match='cache'):
        compute_proposals(year_root, out, 'trainval', mode='single', cache_dir=cache_dir, progress=False)


@pytest.mark.slow
@pytest.mark.e2e
def test_killed_cli_run_resumes_to_identical_output(voc, tmp_path):
    year_root = voc['year_root']
    out = str(tmp_path / 'trainval.pkl')
    cache_dir = str(tmp_path / 'cache')
    command = [sys.executable, osp.join(REPO_ROOT, TOOL), year_root, '--split', 'trainval', '--out', out,
               '--workers', '1', '--cache-dir', cache_dir, '--no-progress']
    proc = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cached = []
    while proc.poll() is None:  # until the first cache file, however long the start takes on a busy machine
        cached = [name for name in os.listdir(osp.join(cache_dir, 'JPEGImages'))
                  if name.endswith('.npy')] if osp.isdir(osp.join(cache_dir, 'JPEGImages')) else []
        if cached:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.01)
    proc.wait()
    assert cached, 'the run wrote no cache file before finishing'
    if proc.returncode == -signal.SIGKILL:
        assert not osp.exists(out)
    result = run_tool(TOOL, year_root, '--split', 'trainval', '--out', out, '--workers', '1',
                      '--cache-dir', cache_dir, '--no-progress')
    assert 'from cache 0' not in result.stdout
    assert_same_proposals(load(out), load(osp.join(year_root, 'proposals', 'trainval.pkl')))


def test_unreadable_image_is_reported_and_the_rest_written(voc, tmp_path, caplog):
    folder = tmp_path / 'JPEGImages'
    folder.mkdir()
    paths = []
    for image_id in ('000001', '000002', '000003'):
        shutil.copy(osp.join(voc['year_root'], 'JPEGImages', f'{image_id}.jpg'), folder / f'{image_id}.jpg')
        paths.append(str(folder / f'{image_id}.jpg'))
    bad = str(folder / 'broken.jpg')
    with open(bad, 'wb') as f:
        f.write(b'this is not a jpeg')
    paths.insert(1, bad)
    out = str(tmp_path / 'proposals.pkl')

    summary = compute_proposals(paths, out, workers=2, mode='single', progress=False)
    assert list(summary.failures) == [bad]
    assert bad in caplog.text and 'broken.jpg' in caplog.text
    proposals = load(out)
    assert list(proposals) == ['JPEGImages/000001.jpg', 'JPEGImages/broken.jpg', 'JPEGImages/000002.jpg',
                               'JPEGImages/000003.jpg']
    assert proposals['JPEGImages/broken.jpg']['bboxes'].shape == (0, 4)
    assert proposals['JPEGImages/broken.jpg']['scores'].shape == (0,)
    assert all(len(proposals[key]['bboxes']) > 0 for key in proposals if 'broken' not in key)
    # Failures are not cached: once the file is fixed, only it is computed.
    shutil.copy(paths[0], bad)
    fixed = compute_proposals(paths, out, workers=1, mode='single', progress=False)
    assert (fixed.num_cached, fixed.num_computed, fixed.failures) == (3, 1, {})
    np.testing.assert_array_equal(load(out)['JPEGImages/broken.jpg']['bboxes'],
                                  proposals['JPEGImages/000001.jpg']['bboxes'])


# ---------------------------------------------------------------------------------------------------
# convert_proposals()


def _write_rcnn_mat(path: str, ids, boxes_xyxy0) -> None:
    """Write boxes the way R-CNN's selective_search_data .mat files store them: y1 x1 y2 x2, 1-based."""
    images = np.empty((len(ids), 1), dtype=object)
    cells = np.empty((1, len(ids)), dtype=object)
    for index, (image_id, boxes) in enumerate(zip(ids, boxes_xyxy0)):
        images[index, 0] = image_id
        cells[0, index] = (np.asarray(boxes)[:, [1, 0, 3, 2]] + 1).astype(np.uint16)
    scipy.io.savemat(path, dict(images=images, boxes=cells))


def test_convert_rcnn_mat_flips_to_xyxy_zero_based(voc, tmp_path):
    year_root = voc['year_root']
    test_ids = [osp.splitext(osp.basename(p))[0] for p in voc_split_images(year_root, 'test')]
    rng = np.random.default_rng(0)
    expected = {}
    for image_id in test_ids + ['000001']:  # one image outside the split: dropped
        xy1 = rng.integers(0, 100, size=(5, 2))
        expected[image_id] = np.concatenate([xy1, xy1 + rng.integers(10, 80, size=(5, 2))], 1).astype(np.float32)
    expected[test_ids[0]][0] = [0, 0, 255, 191]  # the whole image: 1-based (1, 1, 192, 256) in the file
    mat = str(tmp_path / 'voc_2007_test.mat')
    _write_rcnn_mat(mat, list(expected), list(expected.values()))
    out = str(tmp_path / 'test.pkl')

    summary = convert_proposals(mat, out, year_root, 'test')
    proposals = load(out)
    assert summary.num_images == len(test_ids) and list(proposals) == [f'JPEGImages/{i}.jpg' for i in test_ids]
    for image_id in test_ids:
        np.testing.assert_array_equal(proposals[f'JPEGImages/{image_id}.jpg']['bboxes'], expected[image_id])
    assert (np.diff(proposals[f'JPEGImages/{test_ids[0]}.jpg']['scores']) < 0).all()
    # Without a split, every image of the file is kept under JPEGImages/<id>.jpg.
    convert_proposals(mat, out)
    assert set(load(out)) == {f'JPEGImages/{i}.jpg' for i in expected}


def test_convert_errors_name_the_file_and_image(voc, tmp_path):
    year_root = voc['year_root']
    test_ids = [osp.splitext(osp.basename(p))[0] for p in voc_split_images(year_root, 'test')]
    good = np.array([[10, 10, 50, 60]], np.float32)
    out = str(tmp_path / 'out.pkl')
    # An image of the split missing from the file.
    mat = str(tmp_path / 'short.mat')
    _write_rcnn_mat(mat, test_ids[:-1], [good] * (len(test_ids) - 1))
    with pytest.raises(ValueError, match=rf'short\.mat.*{test_ids[-1]}'):
        convert_proposals(mat, out, year_root, 'test')
    # A box with x2 < x1.
    mat = str(tmp_path / 'flipped.mat')
    _write_rcnn_mat(mat, test_ids, [good, good, np.array([[50, 10, 10, 60]], np.float32)])
    with pytest.raises(ValueError, match=rf'flipped\.mat: image {test_ids[2]}'):
        convert_proposals(mat, out, year_root, 'test')
    # A 0-based file passed off as .mat.
    mat = str(tmp_path / 'zero.mat')
    cells = np.empty((1, 1), dtype=object)
    cells[0, 0] = np.array([[0, 0, 20, 20]], np.uint16)
    scipy.io.savemat(mat, dict(images=np.array([[test_ids[0]]], dtype=object), boxes=cells))
    with pytest.raises(ValueError, match=rf'zero\.mat: image {test_ids[0]}.*1-based'):
        convert_proposals(mat, out)
    # An mmdet 2.x list of the wrong length.
    pkl = str(tmp_path / 'list.pkl')
    with open(pkl, 'wb') as f:
        pickle.dump([good] * 2, f)
    with pytest.raises(ValueError, match=r'list\.pkl: 2 proposal arrays but the split has 3'):
        convert_proposals(pkl, out, year_root, 'test')
    assert not osp.exists(out)


def test_convert_mmdet_pickles(voc, tmp_path):
    year_root = voc['year_root']
    paths = voc_split_images(year_root, 'test')
    rng = np.random.default_rng(1)
    arrays = []
    for _ in paths:
        corners = np.sort(rng.uniform(0, 180, size=(6, 2, 2)).astype(np.float32), axis=1)  # [[x1, y1], [x2, y2]]
        boxes = corners.reshape(6, 4)
        arrays.append(np.concatenate([boxes, rng.random((6, 1), np.float32)], 1))
    out = str(tmp_path / 'test.pkl')
    # mmdet 2.x: a list of (n, 5) arrays in split order, scores in the last column -> sorted, best first.
    src = str(tmp_path / 'mmdet2.pkl')
    with open(src, 'wb') as f:
        pickle.dump(arrays, f)
    convert_proposals(src, out, year_root, 'test')
    proposals = load(out)
    assert list(proposals) == [proposal_key(p) for p in paths]
    for path, array in zip(paths, arrays):
        order = np.argsort(-array[:, 4], kind='stable')
        np.testing.assert_array_equal(proposals[proposal_key(path)]['bboxes'], array[order, :4])
        np.testing.assert_array_equal(proposals[proposal_key(path)]['scores'], array[order, 4])
    # The dict format keyed by absolute paths, plus an extra image: re-keyed, validated, subset.
    src = str(tmp_path / 'dict.pkl')
    with open(src, 'wb') as f:
        extra_paths, extra_arrays = paths + ['/x/JPEGImages/9.jpg'], arrays + arrays[:1]
        pickle.dump({path: dict(bboxes=array[:, :4]) for path, array in zip(extra_paths, extra_arrays)}, f)
    convert_proposals(src, out, year_root, 'test', max_proposals=4)
    proposals = load(out)
    assert list(proposals) == [proposal_key(p) for p in paths]
    np.testing.assert_array_equal(proposals[proposal_key(paths[1])]['bboxes'], arrays[1][:4, :4])


# ---------------------------------------------------------------------------------------------------
# The CLI


@pytest.mark.slow
@pytest.mark.e2e
def test_cli_computes_several_splits_and_converts(tmp_path):
    root = str(tmp_path)
    year_root = make_toy_voc(root, splits={'train': 2, 'val': 1, 'test': 2}, seed=3)
    result = run_tool(TOOL, year_root, '--splits', 'trainval', 'test', '--workers', '1', '--mode', 'single',
                      '--max-proposals', '500', '--no-progress')
    for split, count in (('trainval', 3), ('test', 2)):
        out = osp.join(year_root, 'proposals', f'{split}.pkl')
        assert f'[{split}] wrote {out}: {count} images' in result.stdout
        assert len(load(out)) == count
        assert all(0 < len(item['bboxes']) <= 500 for item in load(out).values())
    assert 'recall of' in result.stdout and 'IoU 0.5' in result.stdout
    # --convert: R-CNN .mat -> <year_root>/proposals/test.pkl
    ids = [osp.splitext(osp.basename(p))[0] for p in voc_split_images(year_root, 'test')]
    mat = str(tmp_path / 'voc_2007_test.mat')
    _write_rcnn_mat(mat, ids, [read_voc_boxes(year_root, i) for i in ids])
    result = run_tool(TOOL, year_root, '--split', 'test', '--convert', mat)
    assert 'top all: 1.000' in result.stdout
    # A broken image: the file is still written, the image is named and the exit status is 1.
    with open(osp.join(year_root, 'JPEGImages', f'{ids[0]}.jpg'), 'wb') as f:
        f.write(b'broken')
    result = run_tool(TOOL, year_root, '--split', 'test', '--mode', 'single', '--workers', '1', '--no-progress',
                      '--cache-dir', str(tmp_path / 'fresh_cache'), check=False)
    assert result.returncode == 1
    assert f'{ids[0]}.jpg' in result.stdout and 'FAILED 1 images' in result.stdout
    assert len(load(osp.join(year_root, 'proposals', 'test.pkl'))) == 2
