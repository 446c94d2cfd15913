# Low-shot >c4: conv1-conv4 frozen.
_base_ = ['./fast-rcnn_alexnet_voc07-lowshot.py']
model = dict(backbone=dict(frozen_stages=4))
