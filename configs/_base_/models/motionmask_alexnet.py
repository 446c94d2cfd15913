# MotionMask (Pathak et al., CVPR 2017): AlexNet to fc7 -> fc with 56*56 outputs -> sigmoid.
model = dict(
    type='MotionMask',
    data_preprocessor=dict(
        type='ImgDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    # CaffeNet layout with LRN (no BN), so the exported backbone loads into the transfer configs as is.
    backbone=dict(type='AlexNet', out_indices=(6, ), with_bn=False, dropout=0.5),
    head=dict(type='MotionMaskHead', in_channels=4096, mask_size=56, in_type='vector'))
