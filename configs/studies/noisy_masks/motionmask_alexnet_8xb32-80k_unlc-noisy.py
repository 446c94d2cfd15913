# Noisy-masks study (paper, Sec. 4.2), full scale: the uNLC config with a MaskDegradation step right after
# LoadSoftMask. As written it is the identity (dilate by 0 px); tools/studies/noisy_masks.py sets each kind and
# level with --cfg-options on this one step (mode, pixels / fraction / blobs / prob).
_base_ = '../../motionmask/motionmask_alexnet_8xb32-80k_unlc.py'

train_pipeline = _base_.train_pipeline.copy()
train_pipeline.insert(2, dict(type='MaskDegradation', mode='dilate', pixels=0))
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
