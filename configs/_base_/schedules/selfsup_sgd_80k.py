# MotionMask's schedule (SGD, 80k iterations, step at 60k) without validation.
_base_ = './motionmask_sgd_80k.py'
val_cfg = None
test_cfg = None
