# >c5 on toy VOC07 multi-label: conv1-conv5 frozen, the rest (fc6, fc7 from the checkpoint, fc8) fine-tuned.
_base_ = ['./alexnet_voc07-multilabel_toy.py']
model = dict(backbone=dict(frozen_stages=5))
