# Fast R-CNN + AlexNet, VOC2007 trainval -> VOC2007 test, all layers fine-tuned ("All", paper Table 2).
# The >c1 ... >c5 settings are the fast-rcnn_alexnet-cK_voc07.py files next to this one.
# Proposals: tools/proposals/selective_search.py data/VOCdevkit/VOC2007 --splits trainval test
_base_ = [
    '../../../_base_/models/fast-rcnn_alexnet.py',
    'mmdet::_base_/datasets/voc0712.py',
    'mmdet::_base_/schedules/schedule_1x.py',
    'mmdet::_base_/default_runtime.py',
]
benchmark = 'voc07-det'  # VOC2007 trainval -> VOC2007 test

scale = (1000, 600)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadProposals', num_max_proposals=2000),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='ProposalBroadcaster',
         transforms=[dict(type='Resize', scale=scale, keep_ratio=True), dict(type='RandomFlip', prob=0.5)]),
    dict(type='PackDetInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadProposals', num_max_proposals=None),
    dict(type='ProposalBroadcaster', transforms=[dict(type='Resize', scale=scale, keep_ratio=True)]),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='PackDetInputs', meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor')),
]
data_root = 'data/VOCdevkit/'
voc_train = dict(
    type='VOCDataset',
    data_root=data_root,
    ann_file='VOC2007/ImageSets/Main/trainval.txt',
    data_prefix=dict(sub_data_root='VOC2007/'),
    proposal_file='VOC2007/proposals/trainval.pkl',
    filter_cfg=dict(filter_empty_gt=True, min_size=32, bbox_min_size=32),
    pipeline=train_pipeline)
train_dataloader = dict(
    batch_size=2,
    dataset=dict(_delete_=True, type='RepeatDataset', times=3, dataset=voc_train))
val_dataloader = dict(
    dataset=dict(data_root=data_root, proposal_file='VOC2007/proposals/test.pkl', pipeline=test_pipeline))
test_dataloader = val_dataloader

# An mmdet-style schedule, not Fast R-CNN's VOC07 solver (2 images x 64 RoIs, lr 1e-3 for 30k iterations
# then 1e-4 for 10k): SGD lr 1e-3 for 16 images a batch (2 x 8 GPUs, not rescaled for fewer), 128 RoIs an
# image, x0.1 after 9 of 12 passes over trainval (about 3.8k iterations in all). See docs/departures.md.
max_epochs = 4  # x3 repeats = 12 passes over trainval
train_cfg = dict(max_epochs=max_epochs, val_interval=1)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=200),
    dict(type='MultiStepLR', begin=0, end=max_epochs, by_epoch=True, milestones=[3], gamma=0.1),
]
optim_wrapper = dict(optimizer=dict(lr=0.001, momentum=0.9, weight_decay=0.0005))
auto_scale_lr = dict(enable=False, base_batch_size=16)
