# >c5: conv1-conv5 frozen, the rest fine-tuned (paper Table 2).
_base_ = ['./fcn_alexnet_voc12aug-voc11val.py']
model = dict(backbone=dict(frozen_stages=5))
