# Low-shot >c2: conv1-conv2 frozen.
_base_ = ['./fast-rcnn_alexnet_voc07-lowshot.py']
model = dict(backbone=dict(frozen_stages=2))
