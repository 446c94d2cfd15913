# >c3 on Stanford 40: conv1-conv3 frozen, the rest (fc6, fc7 from the checkpoint, fc8) fine-tuned.
_base_ = ['./alexnet_stanford40.py']
model = dict(backbone=dict(frozen_stages=3))
