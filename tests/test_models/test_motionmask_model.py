"""MotionMask model, head, loss, metric and panels."""
import math

import numpy as np
import pytest
import torch
from mmengine.structures import BaseDataElement, PixelData

from mmmotion.evaluation import MaskIoU, centred_box, mask_iou
from mmmotion.models import MotionMask, MotionMaskHead, masked_bce_loss
from mmmotion.visualization import mask_panels

BACKBONE = dict(type='AlexNet', out_indices=(6, ), with_bn=True)
HEAD = dict(type='MotionMaskHead', in_channels=4096, mask_size=56)


def batch(n=2, seed=0):
    g = torch.Generator().manual_seed(seed)
    inputs = [torch.randint(0, 256, (3, 227, 227), dtype=torch.uint8, generator=g) for _ in range(n)]
    samples = []
    for _ in range(n):
        s = BaseDataElement()
        s.gt_mask = PixelData(data=torch.randint(0, 2, (1, 56, 56), generator=g))
        samples.append(s)
    return dict(inputs=inputs, data_samples=samples)


def test_forward_backward_shapes():
    torch.manual_seed(0)
    model = MotionMask(backbone=BACKBONE, head=HEAD)
    model.init_weights()
    data = model.data_preprocessor(batch(), True)
    assert tuple(model(data['inputs'], mode='tensor').shape) == (2, 56, 56)
    losses = model(**data, mode='loss')
    assert set(losses) == {'loss_mask'} and losses['loss_mask'].dim() == 0
    # zero-initialised-ish mask fc: the first predictions are ~0.5, i.e. BCE ~ log(2) per location
    assert losses['loss_mask'].item() == pytest.approx(56 * 56 * np.log(2), rel=0.05)
    losses['loss_mask'].backward()
    assert model.backbone.conv1.conv.weight.grad.abs().sum() > 0
    model.eval()
    preds = model(**model.data_preprocessor(batch(), False), mode='predict')
    assert tuple(preds[0].pred_mask.data.shape) == (1, 56, 56)
    assert tuple(preds[0].pred_mask_crop.data.shape) == (1, 227, 227)
    assert 0 <= preds[0].pred_mask.data.min() and preds[0].pred_mask.data.max() <= 1


@pytest.mark.slow
def test_train_step_lowers_the_loss_on_one_batch():
    torch.manual_seed(0)
    from mmengine.optim import build_optim_wrapper
    model = MotionMask(backbone=BACKBONE, head=HEAD)
    model.init_weights()
    optim = build_optim_wrapper(model, dict(optimizer=dict(type='Adam', lr=1e-4)))
    data = batch(4)
    first = model.train_step(data, optim)['loss_mask'].item()
    for _ in range(5):
        last = model.train_step(data, optim)['loss_mask'].item()
    assert last < 0.9 * first


def test_loss_is_summed_over_valid_locations_and_averaged_over_the_batch():
    logits = torch.randn(3, 4, 4, requires_grad=True)
    target = torch.randint(0, 2, (3, 4, 4))
    target[0, :2] = 255
    target[2] = 255
    loss = masked_bce_loss(logits, target)
    valid = target != 255
    manual = torch.nn.functional.binary_cross_entropy_with_logits(
        logits[valid], target[valid].float(), reduction='sum') / 3
    assert loss.item() == pytest.approx(manual.item(), rel=1e-6)
    loss.backward()
    # ignored locations get exactly zero gradient, the others do not
    assert (logits.grad[~valid] == 0).all()
    assert (logits.grad[valid] != 0).all()


def test_class_balanced_loss_gives_each_class_half_the_weight():
    # 1 foreground and 5 background locations (2 ignored): logits 0 give bce log(2) everywhere, so the
    # balanced loss is log(2) * (weight of 6 valid locations = 6) whatever the class counts
    logits = torch.zeros(1, 2, 4, requires_grad=True)
    target = torch.tensor([[[1, 0, 0, 0], [0, 0, 255, 255]]])
    balanced = masked_bce_loss(logits, target, class_balanced=True)
    assert balanced.item() == pytest.approx(6 * math.log(2), rel=1e-6)
    balanced.backward()
    # the foreground location has 5x the weight (and gradient) of each background location
    grad = logits.grad[0]
    assert grad[0, 0].abs().item() == pytest.approx(5 * grad[0, 1].abs().item(), rel=1e-6)
    assert (grad[1, 2:] == 0).all()
    # a batch without foreground is the unweighted loss
    empty = torch.tensor([[[0, 0, 0, 0], [0, 0, 255, 255]]])
    assert masked_bce_loss(torch.zeros(1, 2, 4), empty, class_balanced=True).item() == pytest.approx(
        masked_bce_loss(torch.zeros(1, 2, 4), empty).item(), rel=1e-6)


def test_ignored_targets_do_not_change_the_model_loss():
    torch.manual_seed(0)
    model = MotionMask(backbone=BACKBONE, head=HEAD).eval()
    data = model.data_preprocessor(batch(), False)
    for s in data['data_samples']:
        s.gt_mask.data[:, :20] = 255
    loss_a = model(**data, mode='loss')['loss_mask']
    for s in data['data_samples']:  # an ignored location stays ignored whatever else is there
        s.gt_mask.data[:, 20:] = torch.where(s.gt_mask.data[:, 20:] == 1, 1, 0)
    loss_b = model(**data, mode='loss')['loss_mask']
    assert loss_a.item() == pytest.approx(loss_b.item())


def test_head_accepts_feature_maps_and_checks_shapes():
    head = MotionMaskHead(in_channels=64, in_type='map', map_channels=16, map_size=5, mask_size=28)
    assert tuple(head((torch.rand(2, 64, 9, 9), )).shape) == (2, 28, 28)
    with pytest.raises(ValueError, match='in_type="map"'):
        MotionMaskHead(in_channels=64)(torch.rand(2, 64, 3, 3))
    with pytest.raises(ValueError, match='mask_size'):
        MotionMaskHead(in_channels=8, mask_size=28).loss((torch.rand(2, 8), ), torch.zeros(2, 56, 56))


def test_mask_iou_and_baselines():
    target = np.zeros((10, 10), bool)
    target[2:6, 2:6] = True
    assert mask_iou(target, target) == 1.0
    assert mask_iou(np.zeros_like(target), np.zeros_like(target)) == 1.0
    assert mask_iou(np.ones_like(target), target) == pytest.approx(16 / 100)
    valid = np.ones_like(target)
    valid[:, 5:] = False
    assert mask_iou(np.ones_like(target), target, valid) == pytest.approx(12 / 50)
    assert centred_box(10, 0.4).sum() == 16

    metric = MaskIoU(box_fractions=(0.5, ))
    trimap = torch.zeros(1, 8, 8, dtype=torch.long)
    trimap[:, 2:6, 2:6] = 1
    trimap[:, 0] = 255
    pred = torch.zeros(1, 8, 8)
    pred[:, 2:6, 2:4] = 0.9
    true = (trimap == 1).long()
    sample = dict(pred_mask=dict(data=pred), gt_mask=dict(data=trimap), gt_true_mask=dict(data=true))
    metric.process({}, [sample])
    out = metric.compute_metrics(metric.results)
    assert out['pseudo/mIoU'] == pytest.approx(0.5)
    assert out['true/mIoU'] == pytest.approx(0.5)
    assert out['pseudo/all_fg_mIoU'] == pytest.approx(16 / 56)
    assert out['pseudo/all_bg_mIoU'] == 0
    assert out['pseudo/centred_box_mIoU'] == pytest.approx(1.0)


def test_panels_show_image_target_prediction():
    img = np.zeros((227, 227, 3), np.uint8)
    target = np.zeros((56, 56), np.uint8)
    target[10:20] = 1
    target[30:] = 255
    panel = mask_panels([img, img], [target, target], [np.full((56, 56), 0.2)] * 2)
    assert panel.shape == (2 * 227 + 4, 3 * 227 + 8, 3)
    middle = panel[:227, 231:458]
    assert middle[50, 100, 0] == 255 and middle[5, 5, 0] == 0 and middle[200, 5, 0] == 128
