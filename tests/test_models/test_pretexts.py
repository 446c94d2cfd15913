"""The classic pretexts (RotationPred, RelativeLoc) and mmpretrain's SimCLR on mmmotion's AlexNet: their
transforms pixel for pixel, their labels, their full-scale configs built, training on MotionMask's frames
through tools/train.py, and the export into the transfer AlexNet.

Time: the fast tests take about 15-20 s of CPU on 2 cores; the three tools/train.py runs (slow) about 20 s each."""
import math
import os.path as osp
import re

import numpy as np
import pytest
import torch

from tool_runner import REPO_ROOT, run_tool

PRETEXTS = ('rotationpred', 'relativeloc', 'simclr')
VIEWS = dict(rotationpred=4, relativeloc=2, simclr=2)  # backbone inputs per sample


def config_path(name: str, full: bool) -> str:
    scale = 'alexnet_8xb32-80k_unlc' if full else 'alexnet-bn_1xb8-100it_tiny'
    return osp.join('configs', 'selfsup', name, f'{name}_{scale}.py')


# ------------------------------------------------------------------------------------------------ RotateViews


def test_rotate_views_turns_every_pixel_exactly():
    from mmmotion.datasets.transforms import RotateViews
    n = 5
    img = np.random.default_rng(0).integers(0, 256, (n, n, 3), dtype=np.uint8)
    out = RotateViews().transform(dict(img=img.copy()))
    assert out['rotation_labels'].tolist() == [0, 1, 2, 3]
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing='ij')
    # k quarter turns counter-clockwise: view[i, j] = img[source(i, j)]
    sources = [(i, j), (j, n - 1 - i), (n - 1 - i, n - 1 - j), (n - 1 - j, i)]
    for view, (si, sj) in zip(out['img'], sources):
        assert view.shape == img.shape and view.flags.c_contiguous
        np.testing.assert_array_equal(view, img[si, sj])
    np.testing.assert_array_equal(out['img'][1][0], img[:, n - 1])  # the right column becomes the top row
    picked = RotateViews(rotations=(2, 0)).transform(dict(img=img.copy()))
    assert picked['rotation_labels'].tolist() == [2, 0]
    np.testing.assert_array_equal(picked['img'][0], img[::-1, ::-1])


def test_rotate_views_rejects_bad_input():
    from mmmotion.datasets.transforms import RotateViews
    with pytest.raises(ValueError, match='square'):
        RotateViews().transform(dict(img=np.zeros((4, 6, 3), np.uint8), img_path='a.jpg'))
    with pytest.raises(ValueError, match='quarter turns'):
        RotateViews(rotations=(0, 4))
    with pytest.raises(ValueError, match='quarter turns'):
        RotateViews(rotations=(1, 1))


# ------------------------------------------------------------------------------------------------ PatchGridPair

P, GAP, JIT = 12, 8, 3  # patch, gap, jitter of the grid tests: extent 3 * 12 + 2 * 8 + 2 * 3 = 58


def cell_coded_image() -> np.ndarray:
    """58 x 58: the band each cell's jittered patch may cover, [r * 20, r * 20 + 18), holds (r + 1, c + 1,
    255); the 2-px lines between bands are 0. A patch inside its band is constant and names its cell."""
    img = np.zeros((58, 58, 3), np.uint8)
    for r in range(3):
        for c in range(3):
            band = slice(r * (P + GAP), r * (P + GAP) + P + 2 * JIT), slice(c * (P + GAP), c * (P + GAP) + P + 2 * JIT)
            img[band] = (r + 1, c + 1, 255)
    return img


def test_patch_grid_labels_match_positions_within_gap_and_jitter():
    from mmmotion.datasets.transforms import PatchGridPair
    from mmmotion.datasets.transforms.patch_grid import NEIGHBOUR_CELLS
    transform = PatchGridPair(patch_size=P, gap=GAP, jitter=JIT, out_size=P + 5)
    assert transform.extent == 58
    np.random.seed(0)
    labels, offsets = [], []
    for _ in range(400):
        out = transform.transform(dict(img=cell_coded_image()))
        centre, neighbour = out['img']
        label = out['position_label']
        labels.append(label)
        assert centre.shape == neighbour.shape == (P + 5, P + 5, 3) and out['grid_scale'] == 1
        cells = [(1, 1), NEIGHBOUR_CELLS[label]]
        for patch, (r, c), box in zip((centre, neighbour), cells, out['patch_boxes']):
            # constant and its own cell's code: inside its band, so within the jitter of its nominal place
            assert (patch == np.array([r + 1, c + 1, 255], np.uint8)).all(), (label, box)
            # the image is exactly the grid's size, so the grid starts at (jitter, jitter)
            offsets += [box[1] - (JIT + r * (P + GAP)), box[0] - (JIT + c * (P + GAP))]
            assert box[2] - box[0] == box[3] - box[1] == P
    assert sorted(set(labels)) == list(range(8))
    assert sorted(set(offsets)) == list(range(-JIT, JIT + 1))  # jitter used in full, never beyond


def test_patch_grid_boxes_are_the_patches_and_keep_the_gap():
    from mmmotion.datasets.transforms import PatchGridPair
    from mmmotion.datasets.transforms.patch_grid import NEIGHBOUR_CELLS
    transform = PatchGridPair(patch_size=P, gap=GAP, jitter=JIT, out_size=P)
    img = np.random.default_rng(1).integers(0, 256, (90, 130, 3), dtype=np.uint8)
    np.random.seed(1)
    origins = set()
    for _ in range(100):
        out = transform.transform(dict(img=img.copy()))
        boxes = out['patch_boxes']
        assert (boxes[:, :2] >= 0).all() and (boxes[:, 2] <= 130).all() and (boxes[:, 3] <= 90).all()
        for patch, (x1, y1, x2, y2) in zip(out['img'], boxes):
            np.testing.assert_array_equal(patch, img[y1:y2, x1:x2])
        (cx, cy), (nx, ny) = boxes[0, :2], boxes[1, :2]
        r, c = NEIGHBOUR_CELLS[out['position_label']]
        assert abs(ny - cy - (r - 1) * (P + GAP)) <= 2 * JIT and abs(nx - cx - (c - 1) * (P + GAP)) <= 2 * JIT
        assert max(abs(ny - cy), abs(nx - cx)) >= P + GAP - 2 * JIT  # never closer than the gap allows
        origins.add((cx, cy))
    assert len(origins) > 20  # the grid moves over the image
    small = transform.transform(dict(img=img[:20, :30].copy()))
    assert small['grid_scale'] == pytest.approx(58 / 20) and small['img'][0].shape == (P, P, 3)
    with pytest.raises(ValueError, match='jitter'):
        PatchGridPair(patch_size=P, gap=GAP, jitter=5)


# ------------------------------------------------------------------------------------------------ the algorithms


def small_pretext(name: str, num_classes: int, in_channels: int):
    """The algorithm on AlexNet's conv stages, pooled (any input size): small enough to run here."""
    from mmmotion.registry import MODELS
    return MODELS.build(dict(
        type=name, backbone=dict(type='AlexNet', with_fc=False, with_bn=True),
        neck=dict(type='mmpretrain.GlobalAveragePooling'),
        head=dict(type='PretextClsHead', in_channels=in_channels, num_classes=num_classes)))


def test_labels_follow_the_views_and_pairs_are_centre_first():
    from mmpretrain.structures import DataSample
    rotation = small_pretext('RotationPred', 4, 256)
    samples = [DataSample(rotation_labels=np.array([2, 0])), DataSample(rotation_labels=np.array([2, 0]))]
    # features are view-major (view v of image i at row v * N + i), and so must the labels be
    assert rotation.targets(samples, 2).tolist() == [2, 2, 0, 0]
    with pytest.raises(ValueError, match='2 rotation labels per image for 4 views'):
        rotation.targets(samples, 4)
    views = [torch.randint(0, 256, (2, 3, 67, 67), dtype=torch.uint8) for _ in range(2)]
    losses = rotation(**rotation.data_preprocessor(dict(inputs=views, data_samples=samples), True), mode='loss')
    assert set(losses) == {'loss', 'accuracy'} and math.isfinite(losses['loss'].item())

    relative = small_pretext('RelativeLoc', 8, 512)
    with pytest.raises(KeyError, match=r"no `position_label` \(is PatchGridPair"):
        relative.targets(samples, 2)
    feats = torch.arange(8.).reshape(4, 2)  # rows: centre 0, centre 1, neighbour 0, neighbour 1
    assert relative.combine(feats, 2).tolist() == [[0, 1, 4, 5], [2, 3, 6, 7]]
    with pytest.raises(ValueError, match='2 views'):
        relative.combine(torch.zeros(6, 2), 3)


def test_head_loss_and_accuracy():
    from mmmotion.models.heads import PretextClsHead
    head = PretextClsHead(in_channels=6, num_classes=3, mid_channels=(5, ))
    head.init_weights()
    feats, labels = torch.randn(4, 6), torch.tensor([0, 2, 1, 2])
    out = head.loss(feats, labels)
    expected = torch.nn.functional.cross_entropy(head(feats), labels)
    torch.testing.assert_close(out['loss'], expected)
    assert out['accuracy'] == (head(feats).argmax(1) == labels).float().mean()
    with pytest.raises(ValueError, match=r'labels must be in \[0, 3\)'):
        head.loss(feats, torch.tensor([0, 1, 2, 3]))
    with pytest.raises(ValueError, match=r'expects \(N, 6\) vectors'):
        head(torch.randn(4, 7))


@pytest.mark.parametrize('name', PRETEXTS)
def test_full_config_builds_and_takes_motionmasks_training_frames(name, toy_motionmask_root):
    """Config + model + dataset and pipeline of the full-scale config, on a few frames: the frames are those
    MotionMask's full config trains on, each sample has its views at 227 px, and one loss is finite."""
    from mmengine.config import Config
    from mmengine.dataset import default_collate

    from mmmotion.registry import DATASETS, MODELS
    from mmmotion.utils import register_all_modules
    register_all_modules(init_default_scope=True)
    cfg = Config.fromfile(osp.join(REPO_ROOT, config_path(name, full=True)))
    motionmask = Config.fromfile(osp.join(REPO_ROOT, 'configs/motionmask/motionmask_alexnet_8xb32-80k_unlc.py'))
    assert cfg.train_dataloader.batch_size == motionmask.train_dataloader.batch_size == 32
    assert cfg.train_cfg.max_iters == motionmask.train_cfg.max_iters and cfg.val_dataloader is None
    assert cfg.optim_wrapper == motionmask.optim_wrapper and cfg.param_scheduler == motionmask.param_scheduler
    frames, datasets = [], []
    for config in (cfg, motionmask):
        config.train_dataloader.dataset.update(data_root=toy_motionmask_root, val_fraction=0.25)
        datasets.append(DATASETS.build(config.train_dataloader.dataset))
        frames.append([datasets[-1].get_data_info(i)['img_path'] for i in range(len(datasets[-1]))])
    assert frames[0] == frames[1] and len(frames[0]) == 12  # 3 of the 4 toy videos
    model = MODELS.build(cfg.model)
    assert type(model.backbone).__module__ == 'mmmotion.models.backbones.alexnet'
    samples = [datasets[0][i] for i in range(2)]
    for sample in samples:
        assert len(sample['inputs']) == VIEWS[name]
        assert all(view.shape == (3, 227, 227) and view.dtype == torch.uint8 for view in sample['inputs'])
    model.train()
    with torch.no_grad():
        losses = model(**model.data_preprocessor(default_collate(samples), True), mode='loss')
    assert math.isfinite(losses['loss'].item())


# ------------------------------------------------------------------------------------------------ training, export


def test_pretrain_pretext_api_exports_a_transfer_backbone(toy_motionmask_root, tmp_path):
    from mmmotion.apis import pretrain_pretext
    from mmmotion.models import AlexNet
    result = pretrain_pretext('rotationpred', toy_motionmask_root, str(tmp_path / 'work'), cfg_options={
        'train_cfg.max_iters': 1, 'train_dataloader.batch_size': 2, 'train_dataloader.num_workers': 0,
        'train_dataloader.persistent_workers': False, 'default_hooks.checkpoint.interval': 1,
        'default_hooks.checkpoint.save_optimizer': False})
    assert result['checkpoint'] == str(tmp_path / 'work' / 'iter_1.pth')
    assert osp.isfile(result['checkpoint']) and result['backbone'] == str(tmp_path / 'work' / 'backbone.pth')
    assert result['export']['missing_keys'] == result['export']['unexpected_keys'] == []
    state = torch.load(result['backbone'], map_location='cpu', weights_only=True)['state_dict']
    AlexNet(with_bn=True).load_state_dict(state)  # strict: every stage, fc6 and fc7 included
    with pytest.raises(FileNotFoundError, match="'jigsaw' is neither a config file nor a pretext name"):
        pretrain_pretext('jigsaw', toy_motionmask_root, str(tmp_path / 'other'))


@pytest.mark.slow
@pytest.mark.parametrize('name', PRETEXTS)
def test_tiny_config_trains_through_train_py_and_exports(name, toy_motionmask_root, tmp_path):
    work_dir = str(tmp_path / 'work')
    proc = run_tool('tools/train.py', config_path(name, full=False), '--work-dir', work_dir, '--cfg-options',
                    'train_cfg.max_iters=2', f'train_dataloader.dataset.data_root={toy_motionmask_root}',
                    'train_dataloader.batch_size=2', 'train_dataloader.num_workers=0',
                    'train_dataloader.persistent_workers=False', 'default_hooks.logger.interval=1',
                    'default_hooks.checkpoint.interval=2', 'default_hooks.checkpoint.save_optimizer=False',
                    watch=[work_dir])
    losses = re.findall(r'Iter\(train\) \[([12])/2\].*?\bloss: (\S+)', proc.stdout + proc.stderr)
    assert [it for it, _ in losses] == ['1', '2'], (proc.stdout + proc.stderr)[-3000:]
    assert all(math.isfinite(float(loss)) for _, loss in losses), losses
    checkpoint, output = osp.join(work_dir, 'iter_2.pth'), str(tmp_path / 'backbone.pth')
    if name == 'simclr':  # the extraction tool as a user runs it (a few seconds of imports: once is enough)
        proc = run_tool('tools/model_converters/extract_backbone_weights.py', checkpoint, output)
        assert 'loads into mmmotion.AlexNet(with_bn=True, fully_conv=False): 0 missing keys, 0 unexpected keys' \
            in proc.stdout
    else:  # what the tool runs, in this process
        from mmmotion.apis import export_backbone
        report = export_backbone(checkpoint, output)
        assert report['alexnet'] == dict(with_bn=True, fully_conv=False)
        assert report['missing_keys'] == report['unexpected_keys'] == []
    trained = torch.load(checkpoint, map_location='cpu', weights_only=True)['state_dict']
    exported = torch.load(output, map_location='cpu', weights_only=True)['state_dict']
    assert set(exported) == {k[len('backbone.'):] for k in trained if k.startswith('backbone.')}
    for key, value in exported.items():
        torch.testing.assert_close(value, trained[f'backbone.{key}'])
