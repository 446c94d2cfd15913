# The VOC07 Fast R-CNN benchmark on mmmotion's generated toy VOC (mmmotion.datasets.toy_voc), CPU-sized.
# BN AlexNet, to take the tiny MotionMask config's checkpoints. >cK variants: fast-rcnn_alexnet-cK_toy.py.
_base_ = ['../voc07/fast-rcnn_alexnet_voc07.py']
benchmark = 'toy-voc-det'  # generated toy VOC trainval -> toy test

classes = ('disk', 'square', 'triangle')
data_root = 'data/toy_voc/'
model = dict(
    backbone=dict(with_bn=True),
    roi_head=dict(bbox_head=dict(with_bn=True, num_classes=len(classes))),
    train_cfg=dict(rcnn=dict(sampler=dict(num=32))))  # RoIs per image: fc6 dominates the CPU time

scale = (256, 192)  # the generated images' own size
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadProposals', num_max_proposals=200),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='ProposalBroadcaster',
         transforms=[dict(type='Resize', scale=scale, keep_ratio=True), dict(type='RandomFlip', prob=0.5)]),
    dict(type='PackDetInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadProposals', num_max_proposals=100),  # the top-ranked 100: recall ~0.85
    dict(type='ProposalBroadcaster', transforms=[dict(type='Resize', scale=scale, keep_ratio=True)]),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='PackDetInputs', meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor')),
]
train_dataloader = dict(
    batch_size=2,
    num_workers=0,
    persistent_workers=False,
    batch_sampler=None,
    dataset=dict(
        _delete_=True,
        type='VOCDataset',
        data_root=data_root,
        metainfo=dict(classes=classes),
        ann_file='VOC2007/ImageSets/Main/trainval.txt',
        data_prefix=dict(sub_data_root='VOC2007/'),
        proposal_file='VOC2007/proposals/trainval.pkl',
        filter_cfg=dict(filter_empty_gt=True, min_size=16, bbox_min_size=8),
        pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        data_root=data_root,
        metainfo=dict(classes=classes),
        ann_file='VOC2007/ImageSets/Main/test.txt',
        proposal_file='VOC2007/proposals/test.pkl',
        pipeline=test_pipeline))
test_dataloader = val_dataloader
optim_wrapper = dict(optimizer=dict(lr=0.005))

# A short iteration-based schedule for the toy data (CPU, a few minutes).
train_cfg = dict(_delete_=True, type='IterBasedTrainLoop', max_iters=200, val_interval=200)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=20),
    dict(type='MultiStepLR', by_epoch=False, milestones=[150], gamma=0.1),
]
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=20),
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=200, max_keep_ckpts=2))
log_processor = dict(by_epoch=False)
