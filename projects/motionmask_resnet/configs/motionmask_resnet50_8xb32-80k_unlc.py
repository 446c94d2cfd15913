# MotionMask with mmpretrain's ResNet-50 instead of AlexNet: mmmotion's uNLC config with another backbone,
# the head on its C5 map, lr 0.01 / weight decay 1e-4 and a cosine decay after the warm-up.
_base_ = '../../../configs/motionmask/motionmask_alexnet_8xb32-80k_unlc.py'
custom_imports = dict(imports=_base_.custom_imports.imports + ['mmpretrain.models'])

model = dict(
    backbone=dict(_delete_=True, type='mmpretrain.ResNet', depth=50, out_indices=(3, ), norm_eval=False),
    # a C5 feature map (2048 x 8 x 8 for a 227 crop): 1x1 conv to 256, pool to 7x7, fc to 56*56
    head=dict(in_channels=2048, in_type='map', map_channels=256, map_size=7))

optim_wrapper = dict(optimizer=dict(lr=0.01, weight_decay=0.0001))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=1000),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=1000, end=80000),
]
