# >c1: conv1-conv1 frozen, the rest fine-tuned (paper Table 2).
_base_ = ['./fcn_alexnet_voc12.py']
model = dict(backbone=dict(frozen_stages=1))
