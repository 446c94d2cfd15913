# Low-shot detection in miniature, >c5: conv1-conv5 frozen.
_base_ = ['./fast-rcnn_alexnet_toy-lowshot.py']
model = dict(backbone=dict(frozen_stages=5))
