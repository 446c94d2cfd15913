# Low-shot >c3: conv1-conv3 frozen.
_base_ = ['./fast-rcnn_alexnet_voc07-lowshot.py']
model = dict(backbone=dict(frozen_stages=3))
