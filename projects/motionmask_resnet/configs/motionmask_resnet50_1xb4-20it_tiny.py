# The ResNet-50 project config at CPU size (its test trains 2 iterations of it).
_base_ = './motionmask_resnet50_8xb32-80k_unlc.py'

train_dataloader = dict(batch_size=4, num_workers=0, persistent_workers=False,
                        dataset=dict(val_fraction=0.25))
val_dataloader = dict(batch_size=4, num_workers=0, persistent_workers=False,
                      dataset=dict(val_fraction=0.25))
test_dataloader = val_dataloader
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
train_cfg = dict(max_iters=20, val_interval=20)
default_hooks = dict(logger=dict(interval=1), checkpoint=dict(interval=20))
custom_hooks = [
    dict(type='mmmotion.WeightsOnlyCheckpointHook'),
    dict(type='mmmotion.MaskVisualizationHook', interval=10),
]
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
