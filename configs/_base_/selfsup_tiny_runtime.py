# The pretexts at CPU size, as the MotionMask tiny config: Adam, 100 iterations, no validation.
_base_ = './selfsup_runtime.py'
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4, weight_decay=1e-4))
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=100)
default_hooks = dict(logger=dict(interval=10), checkpoint=dict(interval=100, max_keep_ckpts=1))
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
