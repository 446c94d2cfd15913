# MotionMask pretraining of AlexNet on uNLC pseudo masks (the paper's method).
_base_ = [
    '../_base_/models/motionmask_alexnet.py',
    '../_base_/datasets/unlc_motionmask.py',
    '../_base_/schedules/motionmask_sgd_80k.py',
    '../_base_/motionmask_runtime.py',
]
