# >c4 on the toy VOC: conv1-conv4 frozen.
_base_ = ['./fcn_alexnet_toy.py']
model = dict(backbone=dict(frozen_stages=4))
