# Fast R-CNN with mmmotion's AlexNet on PASCAL VOC 07+12 trainval -> VOC07 test (paper, Table 2).
# Proposals are precomputed (tools/proposals/selective_search.py) and stored next to each year's data.
_base_ = [
    'mmdet::_base_/models/fast-rcnn_r50_fpn.py',
    'mmdet::_base_/datasets/voc0712.py',
    'mmdet::_base_/default_runtime.py',
]
custom_imports = dict(imports=['mmmotion.models', 'mmmotion.engine'], allow_failed_imports=False)

model = dict(
    data_preprocessor=dict(pad_size_divisor=16),
    backbone=dict(
        _delete_=True,
        type='mmmotion.AlexNet',
        out_indices=(4, ),  # conv5, stride 16
        frozen_stages=-1),
    neck=None,
    roi_head=dict(
        bbox_roi_extractor=dict(
            # RoIAlign has a CPU kernel; RoIPool (the paper's) is selectable on a GPU.
            roi_layer=dict(type='RoIAlign', output_size=6, sampling_ratio=2),
            out_channels=256,
            featmap_strides=[16]),
        bbox_head=dict(in_channels=256, fc_out_channels=4096, roi_feat_size=6, num_classes=20)))

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadProposals', num_max_proposals=2000),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='ProposalBroadcaster',
         transforms=[dict(type='Resize', scale=(1000, 600), keep_ratio=True),
                     dict(type='RandomFlip', prob=0.5)]),
    dict(type='PackDetInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadProposals', num_max_proposals=None),
    dict(type='ProposalBroadcaster', transforms=[dict(type='Resize', scale=(1000, 600), keep_ratio=True)]),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='PackDetInputs', meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor')),
]
data_root = 'data/VOCdevkit/'
voc_train = dict(
    type='VOCDataset',
    data_root=data_root,
    filter_cfg=dict(filter_empty_gt=True, min_size=32, bbox_min_size=32),
    pipeline=train_pipeline)
train_dataloader = dict(
    batch_size=2,
    dataset=dict(
        _delete_=True,
        type='RepeatDataset',
        times=3,
        dataset=dict(
            type='ConcatDataset',
            ignore_keys=['dataset_type'],
            datasets=[
                dict(voc_train, ann_file='VOC2007/ImageSets/Main/trainval.txt',
                     data_prefix=dict(sub_data_root='VOC2007/'),
                     proposal_file='VOC2007/proposals/trainval.pkl'),
                dict(voc_train, ann_file='VOC2012/ImageSets/Main/trainval.txt',
                     data_prefix=dict(sub_data_root='VOC2012/'),
                     proposal_file='VOC2012/proposals/trainval.pkl'),
            ])))
val_dataloader = dict(
    dataset=dict(proposal_file='VOC2007/proposals/test.pkl', pipeline=test_pipeline))
test_dataloader = val_dataloader

max_epochs = 4  # x3 repeats = 12 epochs over 07+12
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [dict(type='MultiStepLR', begin=0, end=max_epochs, by_epoch=True, milestones=[3], gamma=0.1)]
optim_wrapper = dict(
    type='OptimWrapper', optimizer=dict(type='SGD', lr=0.001, momentum=0.9, weight_decay=0.0005))
auto_scale_lr = dict(enable=False, base_batch_size=16)
