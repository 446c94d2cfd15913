# >c5: conv1-conv5 frozen, the rest fine-tuned (paper Table 2).
_base_ = ['./fast-rcnn_alexnet_voc0712.py']
model = dict(backbone=dict(frozen_stages=5))
