# The frames of the MotionMask tiny config (its data root, video split and batch of 8), images only.
_base_ = './unlc_frames.py'
train_dataloader = dict(
    batch_size=8, num_workers=2, persistent_workers=True,
    dataset=dict(data_root='data/motionmask_tiny/', val_fraction=0.25))
