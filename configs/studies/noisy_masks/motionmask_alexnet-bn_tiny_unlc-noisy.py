# Noisy-masks study in miniature: the tiny CPU config with the same identity MaskDegradation step as the
# full-scale motionmask_alexnet_8xb32-80k_unlc-noisy.py; the study sets kind and level with --cfg-options.
_base_ = '../../motionmask/motionmask_alexnet-bn_1xb8-100it_tiny.py'

train_pipeline = _base_.train_pipeline.copy()
train_pipeline.insert(2, dict(type='MaskDegradation', mode='dilate', pixels=0))
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
