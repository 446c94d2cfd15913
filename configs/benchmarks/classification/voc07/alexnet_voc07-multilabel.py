# PASCAL VOC 2007 multi-label classification with mmmotion's AlexNet: fc7 -> linear head (paper, Table 4).
# This is the "All" setting (everything fine-tuned); alexnet-cK_voc07-multilabel.py freeze conv1..convK (>cK)
# and alexnet-fc6-8_voc07-multilabel.py learns fc6-fc8 only. The checkpoint comes in through
# model.backbone.init_cfg (tools/benchmarks/classification/run_sweep.sh). Metrics: multi-label/mAP (VOC AP).
_base_ = [
    'mmpretrain::_base_/datasets/voc_bs16.py',
    'mmpretrain::_base_/default_runtime.py',
]
benchmark = 'voc07-cls'  # VOC2007 trainval -> VOC2007 test, multi-label mAP
custom_imports = dict(imports=['mmmotion.models', 'mmmotion.engine'], allow_failed_imports=False)

model = dict(
    type='ImageClassifier',
    backbone=dict(type='mmmotion.AlexNet', out_indices=(6, ), frozen_stages=-1),
    neck=None,
    head=dict(
        type='MultiLabelLinearClsHead',
        num_classes=20,
        in_channels=4096,
        loss=dict(type='CrossEntropyLoss', use_sigmoid=True)))

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=227),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='ResizeEdge', scale=256, edge='short'),
    dict(type='CenterCrop', crop_size=227),
    dict(type='PackInputs',
         meta_keys=('sample_idx', 'img_path', 'ori_shape', 'img_shape', 'scale_factor', 'flip',
                    'flip_direction', 'gt_label_difficult')),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader

optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=0.0001))
param_scheduler = dict(type='StepLR', by_epoch=True, step_size=20, gamma=0.1)
train_cfg = dict(by_epoch=True, max_epochs=40, val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=16)
