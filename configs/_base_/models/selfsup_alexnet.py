# What the self-supervised pretexts' models share: mmpretrain's multi-view data preprocessor with
# MotionMask's normalisation, and MotionMask's AlexNet to fc7 (CaffeNet layout with LRN), so the
# exported backbone loads into the transfer configs as is.
model = dict(
    data_preprocessor=dict(
        type='mmpretrain.SelfSupDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        to_rgb=True),
    backbone=dict(type='mmmotion.AlexNet', out_indices=(6, ), with_bn=False, dropout=0.5))
