# MotionMask at CPU size: for the tests, `make demo` and a first look at a small uNLC dataset.
# AlexNet with BN and no dropout, Adam: from scratch, on a few hundred crops, 100 iterations of 8
# crops learn masks that beat the trivial ones on held-out videos (tests/test_models/test_motionmask_learning.py).
_base_ = [
    '../_base_/models/motionmask_alexnet.py',
    '../_base_/datasets/unlc_motionmask.py',
    '../_base_/motionmask_runtime.py',
]
model = dict(backbone=dict(with_bn=True, dropout=0.0))

# Stronger position jitter than the full configs: objects are off-centre, so the model has to find
# them (and a centred box is a weaker guess), in training and evaluation alike.
crop_jitter = dict(scale_range=(1.4, 1.8), shift_range=0.25)
train_pipeline = [dict(t, **crop_jitter) if t['type'] == 'JitteredObjectCrop' else t
                  for t in _base_.train_pipeline]
val_pipeline = [dict(t, **crop_jitter) if t['type'] == 'JitteredObjectCrop' else t
                for t in _base_.val_pipeline]

data_root = 'data/motionmask_tiny/'
train_dataloader = dict(
    batch_size=8, num_workers=2, persistent_workers=True,
    dataset=dict(data_root=data_root, val_fraction=0.25, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root, val_fraction=0.25, pipeline=val_pipeline))
test_dataloader = val_dataloader

optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4, weight_decay=1e-4))
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=100, val_interval=100)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

default_hooks = dict(logger=dict(interval=10), checkpoint=dict(interval=100, max_keep_ckpts=1))
custom_hooks = [
    dict(type='WeightsOnlyCheckpointHook'),
    dict(type='MaskVisualizationHook', interval=50, max_samples=4),
]
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
