# >c4: conv1-conv4 frozen, the rest fine-tuned (paper Table 2).
_base_ = ['./fcn_alexnet_voc12aug.py']
model = dict(backbone=dict(frozen_stages=4))
