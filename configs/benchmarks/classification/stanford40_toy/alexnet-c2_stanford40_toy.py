# >c2 on toy Stanford 40: conv1-conv2 frozen, the rest (fc6, fc7 from the checkpoint, fc8) fine-tuned.
_base_ = ['./alexnet_stanford40_toy.py']
model = dict(backbone=dict(frozen_stages=2))
