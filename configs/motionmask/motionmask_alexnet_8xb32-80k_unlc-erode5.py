# Robustness to noisy pseudo masks (paper, section 4.2): masks eroded on the fly (pixels=5).
_base_ = './motionmask_alexnet_8xb32-80k_unlc.py'

train_pipeline = _base_.train_pipeline.copy()
train_pipeline.insert(2, dict(type='MaskDegradation', mode='erode', pixels=5))  # right after LoadSoftMask
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
