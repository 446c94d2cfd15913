# MotionMask at CPU size: for the tests, `make demo` and a first look at a small uNLC dataset.
# AlexNet with BN (from scratch on a few hundred crops, BN makes 150 iterations enough) and Adam.
_base_ = [
    '../_base_/models/motionmask_alexnet.py',
    '../_base_/datasets/unlc_motionmask.py',
    '../_base_/motionmask_runtime.py',
]
model = dict(backbone=dict(with_bn=True))

data_root = 'data/motionmask_tiny/'
train_dataloader = dict(
    batch_size=16, num_workers=2, persistent_workers=True,
    dataset=dict(data_root=data_root, val_fraction=0.25))
val_dataloader = dict(
    batch_size=16, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root, val_fraction=0.25))
test_dataloader = val_dataloader

optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4, weight_decay=1e-4))
param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[120], gamma=0.1)]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=150, val_interval=150)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

default_hooks = dict(logger=dict(interval=10), checkpoint=dict(interval=150, max_keep_ckpts=1))
custom_hooks = [
    dict(type='WeightsOnlyCheckpointHook'),
    dict(type='MaskVisualizationHook', interval=50, max_samples=4),
]
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
