"""Study "the ConvNet and its teacher" (mmmotion/experiments/teacher.py, tools/studies/teacher_vs_convnet.py)."""
import csv
import os
import os.path as osp

import cv2
import numpy as np
import pytest
from real_data import data_path

from mmmotion.experiments import teacher as study
from mmmotion.experiments import teacher_run as tool

DAVIS_DEV = data_path('davis16_dev')


def rect(h, w, y0, y1, x0, x1):
    mask = np.zeros((h, w), bool)
    mask[y0:y1, x0:x1] = True
    return mask


def test_folds_leave_each_video_out_once():
    out = study.folds(['a', 'b', 'c'])
    assert out == [('a', ['b', 'c']), ('b', ['a', 'c']), ('c', ['a', 'b'])]
    with pytest.raises(ValueError, match='distinct'):
        study.folds(['a', 'a'])
    with pytest.raises(ValueError, match='at least 2'):
        study.folds(['a'])


def test_fold_config_excludes_the_held_out_video(toy_motionmask_root):
    from mmmotion.registry import DATASETS
    from mmmotion.utils import register_all_modules
    register_all_modules(init_default_scope=False)
    cfg = study.fold_config(study.CONFIG, toy_motionmask_root, 'video01', seed=3, iters=2)
    assert cfg.randomness.seed == 3 and cfg.train_cfg.max_iters == 2
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    ids = {dataset.get_data_info(i)['video_id'] for i in range(len(dataset))}
    assert ids == {'video00', 'video02', 'video03'}
    assert len(dataset) == 12  # 3 videos x 4 frames
    sample = dataset[0]  # the whole frame, letterboxed: the image is 227x227, the target 56x56
    assert tuple(sample['inputs'].shape) == (3, 227, 227)
    assert tuple(sample['data_samples'].gt_mask.data.shape) == (1, 56, 56)
    # keeping named videos; a name absent from the file is an error naming it
    from mmmotion.datasets import MotionMaskDataset
    kept = MotionMaskDataset(data_root=toy_motionmask_root, videos=['video02'], pipeline=[])
    assert {kept.get_data_info(i)['video_id'] for i in range(len(kept))} == {'video02'} and len(kept) == 4
    with pytest.raises(ValueError, match='nosuch'):
        MotionMaskDataset(data_root=toy_motionmask_root, videos=['nosuch'], pipeline=[])


def test_training_key_is_shared_by_folds_with_the_same_training_frames(toy_motionmask_root):
    keys = []
    for held_out, seed in (('gone_a', 0), ('gone_b', 0), ('gone_a', 1)):
        cfg = study.fold_config(study.CONFIG, toy_motionmask_root, held_out, seed, 2).to_dict()
        keys.append(study.training_key(cfg, 'data', ['video00', 'video01']))
    assert keys[0] == keys[1] != keys[2]
    cfg = study.fold_config(study.CONFIG, toy_motionmask_root, 'gone_a', 0, 2).to_dict()
    assert study.training_key(cfg, 'data', ['video00']) != keys[0]


def test_letterbox_round_trip_and_box_prior():
    h, w = 48, 100
    square = study.letterbox(h, w)
    np.testing.assert_allclose(square, [0, -26, 100, 74])
    mask = rect(h, w, 10, 30, 20, 70).astype(np.float32)
    small = study.warp_to_square(mask, square, 50, cv2.INTER_AREA)  # 2 px -> 1 px
    assert small[:13].max() == 0 and small[37:].max() == 0  # padding above and below the frame
    back = study.square_to_frame(small, square, h, w) >= 0.5
    assert study.region_similarity(back, mask) > 0.95
    box = study.box_prior(40, 80)
    assert box.sum() == 20 * 40 and box[10:30, 20:60].all()


def test_scores_on_known_masks():
    h, w = 20, 20
    gt = rect(h, w, 0, 10, 0, 10)
    half = rect(h, w, 0, 10, 0, 5)  # IoU 0.5 with gt
    np.testing.assert_allclose(study.j_scores([gt, half, np.zeros((h, w), bool)], [gt, gt, gt]), [1.0, 0.5, 0.0])
    with pytest.raises(ValueError):
        study.j_scores([gt], [gt, gt])
    rows = [dict(video=v, method='convnet', reference='gt', seed=s, J_mean=j)
            for v, s, j in (('a', 0, 0.2), ('a', 1, 0.4), ('b', 0, 0.6), ('b', 1, 1.0))]
    rows.append(dict(video='a', method='unlc', reference='gt', seed='', J_mean=0.5))
    summary = study.summarise(rows)
    mean, spread, n = summary[('a', 'convnet', 'gt')]
    assert (round(mean, 6), round(spread, 6), n) == (0.3, round(np.std([0.2, 0.4], ddof=1), 6), 2)
    mean, spread, n = summary[('mean', 'convnet', 'gt')]  # per seed: 0.4 and 0.7
    assert (round(mean, 6), round(spread, 6), n) == (0.55, round(np.std([0.4, 0.7], ddof=1), 6), 2)
    assert ('mean', 'unlc', 'gt') not in summary  # uNLC has no row for video b
    fg = study.summarise([dict(r, fg_fraction=0.1 * i) for i, r in enumerate(rows[:2])] + rows[2:], 'fg_fraction')
    assert set(fg) == {('a', 'convnet', 'gt'), ('mean', 'convnet', 'gt')}  # rows without the value left out
    assert fg[('a', 'convnet', 'gt')][:2] == pytest.approx((0.05, np.std([0.0, 0.1], ddof=1)))
    table = study.format_table(summary, ['a', 'b'], dict(a=3, b=4))
    assert '| a | 3 | 0.500 | 0.300 ± 0.141 (2) |' in table
    assert '| mean of videos | 7 | – | 0.550 ± 0.212 (2) |' in table


def write_davis(root, videos):
    """A DAVIS layout with known frames and masks: ``{video: [(frame, gt, teacher), ...]}``."""
    for video, items in videos.items():
        for i, (frame, gt, teacher) in enumerate(items):
            for folder, image in (('JPEGImages', frame), ('Annotations', gt * 255), ('teacher', teacher * 255)):
                path = osp.join(root, folder, '480p' if folder != 'teacher' else '', video, f'{i:05d}')
                os.makedirs(osp.dirname(path), exist_ok=True)
                cv2.imwrite(path + ('.jpg' if folder == 'JPEGImages' else '.png'), np.asarray(image, np.uint8))


def test_comparisons_on_exact_masks(tmp_path):
    """uNLC and the box prior against the ground truth, and a real MotionMask made to say "all foreground":
    every J is known exactly."""
    import torch
    from mmengine.config import Config

    h, w = 40, 80
    gt = rect(h, w, 10, 30, 20, 60)  # 800 px = the centred box of half the height and width
    teacher = rect(h, w, 10, 30, 20, 40)  # half of gt
    frame = np.full((h, w, 3), 120, np.uint8)
    root = str(tmp_path / 'davis')
    write_davis(root, dict(v=[(frame, gt, teacher), (frame, gt, np.zeros_like(gt))]))
    stems = study.frame_stems(root, 'v')
    assert stems == ['00000', '00001']
    refs = study.reference_scores(root, 'v', stems, osp.join(root, 'teacher', 'v'))
    np.testing.assert_allclose(refs['unlc'], [0.5, 0.0])
    np.testing.assert_allclose(refs['box'], [1.0, 1.0])
    np.testing.assert_allclose(refs['gt_fg'], [0.25, 0.25])
    np.testing.assert_allclose(refs['unlc_fg'], [0.125, 0.0])
    np.testing.assert_allclose(refs['box_fg'], [0.25, 0.25])

    model = study.load_model(Config.fromfile(study.CONFIG), checkpoint=None)
    with torch.no_grad():
        fc = [m for m in model.head.modules() if isinstance(m, torch.nn.Linear)][-1]
        fc.weight.zero_()
        fc.bias.fill_(10.0)  # sigmoid(10) > 0.5 everywhere
    result = study.evaluate_fold(model, root, 'v', stems, osp.join(root, 'teacher', 'v'), str(tmp_path / 'eval'))
    np.testing.assert_allclose(result['J_gt'], [800 / (h * w)] * 2)
    np.testing.assert_allclose(result['J_unlc'], [400 / (h * w), 0.0])
    assert cv2.imread(str(tmp_path / 'eval' / 'masks' / '00000.png'), 0).min() == 255


@pytest.mark.slow
@pytest.mark.real_data('davis16_dev')
def test_tool_end_to_end_on_two_short_davis_videos(tmp_path):
    """2 real DAVIS videos, 12 frames at 214x120, 2 iterations, 1 seed: rows, figure and section."""
    src = osp.normpath(DAVIS_DEV)
    root = str(tmp_path / 'davis')
    for video in ('blackswan', 'dog'):
        stems = study.frame_stems(src, video, max_frames=12)
        for stem in stems:
            for folder, ext in (('JPEGImages', '.jpg'), ('Annotations', '.png')):
                image = cv2.imread(osp.join(src, folder, '480p', video, stem + ext))
                path = osp.join(root, folder, '480p', video, stem + ext)
                os.makedirs(osp.dirname(path), exist_ok=True)
                cv2.imwrite(path, cv2.resize(image, (214, 120), interpolation=cv2.INTER_AREA))
    out = tmp_path / 'out'
    argv = [root, '--seeds', '0', '--iters', '2', '--frame-step', '4', '--work-dir', str(out / 'work'),
            '--csv', str(out / 'rows.csv'), '--figure', str(out / 'fig.png'), '--markdown', str(out / 'bench.md'),
            '--gen-options', 'generator.frame_selection.min_fg=0.02', 'generator.min_shot_len=5',
            '--cfg-options', 'train_dataloader.num_workers=0', 'train_dataloader.persistent_workers=False']
    assert tool.main(argv) == 0
    with open(out / 'rows.csv') as f:
        rows = list(csv.DictReader(f))
    convnet = [r for r in rows if r['method'] == 'convnet']
    assert {(r['video'], r['reference']) for r in convnet} == {(v, ref) for v in ('blackswan', 'dog')
                                                               for ref in ('gt', 'unlc')}
    for r in convnet:
        assert r['video'] not in r['train_videos'].split() and r['train_videos']  # the fold excludes it
        assert len(r['checkpoint_sha256']) == 64 and len(r['config_hash']) == 64 and r['frames'] == '3'
    assert {r['method'] for r in rows} == {'unlc', 'box', 'convnet'}
    assert cv2.imread(str(out / 'fig.png')) is not None
    text = (out / 'bench.md').read_text()
    assert tool.HEADING in text and '- `nice -n 10 python tools/studies/teacher_vs_convnet.py' in text
    assert '| blackswan | 3 |' in text and 'load average' in text
    # a second invocation reuses every stage: no training runs again
    assert tool.main(argv) == 0
    assert '0 trainings run now, 2 reused' in (out / 'bench.md').read_text()
