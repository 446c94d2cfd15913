# RelativeLoc (Context Prediction) pretraining of AlexNet on the frames of a uNLC dataset, with MotionMask's
# data and schedule (configs/motionmask/motionmask_alexnet_8xb32-80k_unlc.py): a baseline for the comparison table.
_base_ = [
    '../../_base_/models/relativeloc_alexnet.py',
    '../../_base_/datasets/unlc_frames.py',
    '../../_base_/schedules/selfsup_sgd_80k.py',
    '../../_base_/selfsup_runtime.py',
]
train_dataloader = dict(dataset=dict(pipeline=_base_.pretext_pipeline))
