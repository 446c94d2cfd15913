# MotionMask with mmpretrain's ResNet-50 instead of AlexNet. A project config: it uses mmmotion and
# mmpretrain as installed packages through `custom_imports` only (no mmmotion config is inherited).
default_scope = 'mmmotion'
custom_imports = dict(
    imports=['mmmotion.datasets', 'mmmotion.models', 'mmmotion.evaluation', 'mmmotion.engine',
             'mmpretrain.models'],
    allow_failed_imports=False)

model = dict(
    type='mmmotion.MotionMask',
    data_preprocessor=dict(type='ImgDataPreprocessor', mean=[123.675, 116.28, 103.53],
                           std=[58.395, 57.12, 57.375], bgr_to_rgb=True),
    backbone=dict(type='mmpretrain.ResNet', depth=50, out_indices=(3, ), norm_eval=False),
    # a C5 feature map (2048 x 8 x 8 for a 227 crop): 1x1 conv to 256, pool to 7x7, fc to 56*56
    head=dict(type='mmmotion.MotionMaskHead', in_channels=2048, in_type='map', map_channels=256,
              map_size=7, mask_size=56))

data_root = 'data/unlc/'
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='mmmotion.LoadSoftMask'),
    dict(type='mmmotion.SampleObject'),
    dict(type='mmmotion.JitteredObjectCrop', crop_size=227, mask_size=56, scale_range=(1.2, 1.8),
         shift_range=0.1),
    dict(type='mmmotion.MaskRandomFlip', prob=0.5),
    dict(type='mmmotion.PhotometricJitter', prob=0.5),
    dict(type='mmmotion.GenerateTrimap', pos_thr=0.7, neg_thr=0.4),
    dict(type='mmmotion.PackMotionMaskInputs'),
]
val_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='mmmotion.LoadSoftMask'),
    dict(type='mmmotion.SampleObject', seeded=True),
    dict(type='mmmotion.JitteredObjectCrop', crop_size=227, mask_size=56, scale_range=(1.2, 1.8),
         shift_range=0.1, seeded=True),
    dict(type='mmmotion.GenerateTrimap', pos_thr=0.7, neg_thr=0.4),
    dict(type='mmmotion.PackMotionMaskInputs'),
]
train_dataloader = dict(
    batch_size=32, num_workers=8, persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type='mmmotion.MotionMaskDataset', data_root=data_root, split='train',
                 val_fraction=0.02, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32, num_workers=4, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='mmmotion.MotionMaskDataset', data_root=data_root, split='val',
                 val_fraction=0.02, pipeline=val_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='mmmotion.MaskIoU')
test_evaluator = val_evaluator

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=0.0001),
    clip_grad=dict(max_norm=100.0))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=1000),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=1000, end=80000),
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=80000, val_interval=5000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=5000, max_keep_ckpts=3),
    sampler_seed=dict(type='DistSamplerSeedHook'))
custom_hooks = [
    dict(type='mmmotion.WeightsOnlyCheckpointHook'),
    dict(type='mmmotion.MaskVisualizationHook', interval=1000),
]
env_cfg = dict(cudnn_benchmark=True, mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
               dist_cfg=dict(backend='nccl'))
log_processor = dict(by_epoch=False)
visualizer = dict(type='Visualizer', vis_backends=[dict(type='LocalVisBackend')])
log_level = 'INFO'
load_from = None
resume = False
randomness = dict(seed=0)
