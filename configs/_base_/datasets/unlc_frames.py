# The frames MotionMask trains on (its data config's training split: same data root, split and
# val_fraction), images only: the pretexts' configs give the pipeline (`pretext_pipeline` of their
# model file) and ignore the masks. No validation: a pretext's own task is not the measure.
_base_ = './unlc_motionmask.py'
train_pipeline = None
val_pipeline = None
val_dataloader = None
val_evaluator = None
test_dataloader = None
test_evaluator = None
