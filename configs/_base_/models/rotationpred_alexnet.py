# RotationPred (RotNet, Gidaris et al., ICLR 2018): AlexNet to fc7 -> fc with 4 outputs, on each of the
# 4 rotations of a 227 x 227 crop (a batch of N frames is 4N backbone inputs).
_base_ = './selfsup_alexnet.py'
model = dict(
    type='RotationPred',
    head=dict(type='PretextClsHead', in_channels=4096, num_classes=4))
pretext_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='mmpretrain.ResizeEdge', scale=256, edge='short'),
    dict(type='mmpretrain.RandomCrop', crop_size=227),
    dict(type='RandomFlip', prob=0.5),
    dict(type='RotateViews', rotations=(0, 1, 2, 3)),
    dict(type='mmpretrain.PackInputs', algorithm_keys=['rotation_labels'], meta_keys=['img_path', 'flip']),
]
