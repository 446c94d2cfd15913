import os.path as osp

import pytest


@pytest.fixture(scope='session')
def toy_voc_root(tmp_path_factory) -> str:
    """A generated toy VOC2007 (boxes, segmentation, splits) with proposals for train/val/test."""
    from mmmotion.datasets.toy_voc import make_toy_voc, read_voc_boxes
    from mmmotion.datasets.proposals import jittered_box_proposals, save_proposals
    root = str(tmp_path_factory.mktemp('toy_voc'))
    year_root = make_toy_voc(root, splits={'train': 8, 'val': 4, 'test': 6}, seed=0)
    for split in ('train', 'val', 'trainval', 'test'):
        with open(osp.join(year_root, 'ImageSets', 'Main', f'{split}.txt')) as f:
            ids = f.read().split()
        proposals = {
            f'JPEGImages/{image_id}.jpg': jittered_box_proposals(
                read_voc_boxes(year_root, image_id), (192, 256), num=64, seed=index)
            for index, image_id in enumerate(ids)}
        save_proposals(proposals, osp.join(year_root, 'proposals', f'{split}.pkl'))
    return root


@pytest.fixture(scope='session')
def alexnet_checkpoint(tmp_path_factory) -> dict:
    """A random BN AlexNet (fc6/fc7 included, non-trivial BN statistics so loading them is checked too),
    saved as a MotionMask training checkpoint would be: keys under ``backbone.``.

    Returns ``dict(path=..., source=<its AlexNet state dict, bare keys>)``.
    """
    import torch

    from mmmotion.models import AlexNet
    torch.manual_seed(0)
    source = AlexNet(with_bn=True)
    source.init_weights()
    for module in source.modules():
        if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
            module.running_mean.uniform_(-1, 1)
            module.running_var.uniform_(0.5, 2)
    path = str(tmp_path_factory.mktemp('alexnet_ckpt') / 'motionmask_iter_10.pth')
    torch.save({'state_dict': {f'backbone.{k}': v for k, v in source.state_dict().items()}, 'meta': {}}, path)
    return dict(path=path, source=source.state_dict())
