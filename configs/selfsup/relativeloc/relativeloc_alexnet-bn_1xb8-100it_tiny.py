# RelativeLoc (Context Prediction) at CPU size, as configs/motionmask/motionmask_alexnet-bn_1xb8-100it_tiny.py:
# BN AlexNet without dropout, Adam, 100 iterations of 8 frames, the same frames (data root and video split).
_base_ = [
    '../../_base_/models/relativeloc_alexnet.py',
    '../../_base_/datasets/unlc_frames_tiny.py',
    '../../_base_/selfsup_tiny_runtime.py',
]
model = dict(backbone=dict(with_bn=True, dropout=0.0))
# The paper's grid at the scale of the small frames (about 120 x 160): a third of its sizes.
pretext_pipeline = [dict(t, patch_size=32, gap=16, jitter=2) if t['type'] == 'PatchGridPair' else t
                    for t in _base_.pretext_pipeline]
train_dataloader = dict(dataset=dict(pipeline=pretext_pipeline))
