# >c1 on the photo-style toy VOC: conv1-conv1 frozen.
_base_ = ['./fcn_alexnet_toy-photo.py']
model = dict(backbone=dict(frozen_stages=1))
