# RotationPred (RotNet) at CPU size, as configs/motionmask/motionmask_alexnet-bn_1xb8-100it_tiny.py: BN AlexNet
# without dropout, Adam, 100 iterations of 8 frames, the same frames (data root and video split).
_base_ = [
    '../../_base_/models/rotationpred_alexnet.py',
    '../../_base_/datasets/unlc_frames_tiny.py',
    '../../_base_/selfsup_tiny_runtime.py',
]
model = dict(backbone=dict(with_bn=True, dropout=0.0))
train_dataloader = dict(dataset=dict(pipeline=_base_.pretext_pipeline))
