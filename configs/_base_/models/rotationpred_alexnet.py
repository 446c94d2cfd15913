# RotationPred (RotNet, Gidaris et al., ICLR 2018): AlexNet to fc7 -> fc with 4 outputs, on each of the
# 4 rotations of a 227 x 227 crop (a batch of N frames is 4N backbone inputs).
model = dict(
    type='RotationPred',
    data_preprocessor=dict(
        type='mmpretrain.SelfSupDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        to_rgb=True),
    # CaffeNet layout with LRN, as MotionMask's: the export loads into the transfer configs as is.
    backbone=dict(type='AlexNet', out_indices=(6, ), with_bn=False, dropout=0.5),
    head=dict(type='PretextClsHead', in_channels=4096, num_classes=4))
pretext_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='mmpretrain.ResizeEdge', scale=256, edge='short'),
    dict(type='mmpretrain.RandomCrop', crop_size=227),
    dict(type='RandomFlip', prob=0.5),
    dict(type='RotateViews', rotations=(0, 1, 2, 3)),
    dict(type='mmpretrain.PackInputs', algorithm_keys=['rotation_labels'], meta_keys=['img_path', 'flip']),
]
