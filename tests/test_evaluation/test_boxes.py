"""Masks against a tracked target's box (VOT layout): the box reader's errors and the scores."""
import os.path as osp
import shutil

import numpy as np
import pytest
from real_data import data_path

from mmmotion.evaluation.boxes import mask_box_scores, read_vot_boxes, vot_sequences

VOT_DEV = data_path('vot_dev')


def test_corner_and_xywh_lines_and_an_absent_target(tmp_path):
    path = tmp_path / 'groundtruth.txt'
    path.write_text('10,20,50,20,50,60,10,60\n5,6,10,20\nnan,nan,nan,nan\n0,0,0,0,0,0,0,0\n')
    boxes = read_vot_boxes(str(path), 4)
    np.testing.assert_allclose(boxes[:2], [[10, 20, 50, 60], [5, 6, 15, 26]])
    assert np.isnan(boxes[2:]).all()


def test_missing_short_or_malformed_groundtruth_names_the_file(tmp_path):
    path = tmp_path / 'seq' / 'groundtruth.txt'
    with pytest.raises(FileNotFoundError, match='seq/groundtruth.txt: missing'):
        read_vot_boxes(str(path), 3)
    path.parent.mkdir()
    path.write_text('1,2,3,4\n1,2,3,4\n')
    with pytest.raises(ValueError, match=r'seq/groundtruth.txt: 2 boxes for 3 frames'):
        read_vot_boxes(str(path), 3)
    path.write_text('1,2,3,4\n1,2,three,4\n')
    with pytest.raises(ValueError, match=r'groundtruth.txt:2: not comma-separated'):
        read_vot_boxes(str(path))
    path.write_text('1,2,3\n')
    with pytest.raises(ValueError, match=r'groundtruth.txt:1: expected 4 or 8 values, got 3'):
        read_vot_boxes(str(path))


def test_mask_box_scores():
    mask = np.zeros((100, 100), bool)
    mask[20:40, 20:40] = True
    box = np.array([20, 20, 40, 40], float)
    assert mask_box_scores(mask, box) == dict(inside=1.0, box_iou=1.0, hit=1.0)
    half = mask_box_scores(mask, np.array([20, 20, 30, 40], float))
    assert half['inside'] == pytest.approx(0.5) and half['box_iou'] == pytest.approx(0.5) and half['hit'] == 1.0
    road = np.zeros((100, 100), bool)
    road[70:] = True
    assert mask_box_scores(road, box)['hit'] == 0.0 and mask_box_scores(road, box)['inside'] == 0.0
    assert mask_box_scores(np.zeros((100, 100), bool), box)['hit'] == 0.0
    assert np.isnan(mask_box_scores(mask, np.full(4, np.nan))['hit'])


@pytest.mark.real_data('vot_dev')
def test_a_real_vot_clip_reads_and_its_box_hits_itself():
    found = vot_sequences(VOT_DEV)
    assert 'car1' in found and found['car1'].endswith(osp.join('car1', 'color'))
    boxes = read_vot_boxes(osp.join(VOT_DEV, 'car1', 'groundtruth.txt'), 150)
    assert boxes.shape == (150, 4) and np.isfinite(boxes).all()
    assert (boxes[:, 2] > boxes[:, 0]).all() and (boxes[:, 3] > boxes[:, 1]).all()
    x0, y0, x1, y1 = boxes[0].round().astype(int)
    mask = np.zeros((480, 640), bool)
    mask[y0:y1, x0:x1] = True
    assert mask_box_scores(mask, boxes[0])['hit'] == 1.0


def vot_copy(root, n_frames: int, n_boxes: int, name: str = 'car1') -> str:
    """The first ``n_frames`` frames of a real VOT clip and ``n_boxes`` lines of its boxes in a VOT-layout
    root of their own."""
    color = root / name / 'color'
    color.mkdir(parents=True)
    for i in range(1, n_frames + 1):
        shutil.copy(osp.join(VOT_DEV, name, 'color', f'{i:08d}.jpg'), color)
    with open(osp.join(VOT_DEV, name, 'groundtruth.txt')) as f:
        lines = f.readlines()[:n_boxes]
    (root / name / 'groundtruth.txt').write_text(''.join(lines))
    return str(root)


@pytest.mark.real_data('vot_dev')
def test_eval_generated_refuses_a_vot_folder_with_a_short_or_missing_groundtruth(tmp_path):
    """Bad input is named before any segmentation starts."""
    from tool_runner import run_tool
    root = vot_copy(tmp_path / 'vot', 12, 5)
    proc = run_tool('tools/unlc/eval_generated.py', root, '--layout', 'vot', '--out', str(tmp_path / 'ds'),
                    check=False)
    assert proc.returncode != 0
    assert 'car1/groundtruth.txt: 5 boxes for 12 frames' in proc.stderr
    (tmp_path / 'vot' / 'car1' / 'groundtruth.txt').unlink()
    proc = run_tool('tools/unlc/eval_generated.py', root, '--layout', 'vot', '--out', str(tmp_path / 'ds'),
                    check=False)
    assert proc.returncode != 0 and 'car1/groundtruth.txt: missing' in proc.stderr
    assert not osp.exists(tmp_path / 'ds')


@pytest.mark.slow
@pytest.mark.e2e
@pytest.mark.real_data('vot_dev')
def test_eval_generated_scores_a_vot_clip_against_its_boxes(tmp_path):
    """The generator on 12 frames of a real VOT clip (a car followed by the camera): every segmented frame
    is scored against the car's box, for all frames and the kept ones."""
    from tool_runner import REPO_ROOT, run_tool
    root = vot_copy(tmp_path / 'vot', 12, 12)
    cfg = tmp_path / 'gen.py'
    cfg.write_text(f"_base_ = [{osp.join(REPO_ROOT, 'configs', 'unlc', 'generate_dataset.py')!r}]\n"
                   "generator = dict(image_max_side=320,\n"
                   "                 shot_detector=dict(_delete_=True, type='SingleShot'))\n")
    proc = run_tool('tools/unlc/eval_generated.py', root, '--layout', 'vot', '--out', str(tmp_path / 'ds'),
                    '--config', str(cfg), '--frames-json', str(tmp_path / 'frames.json'), check=False)
    row = [line for line in proc.stdout.splitlines() if line.startswith('| car1 |')][0]
    cells = [c.strip() for c in row.strip('|').split('|')]
    assert cells[1] == '12', row
    hit_all, inside_all, iou_all = float(cells[4]), float(cells[6]), float(cells[8])
    assert 0 <= hit_all <= 1 and 0 <= iou_all <= 1 and 0 <= inside_all <= 1, row
    import json
    frames = json.loads((tmp_path / 'frames.json').read_text())
    assert len(frames) == 12 and {'hit', 'inside', 'box_iou', 'q_score', 'kept'} <= set(frames[0])
    assert proc.returncode == (1 if cells[2] == '0' else 0), proc.stderr[-2000:]
