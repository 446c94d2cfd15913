# >c5 on VOC07 multi-label: conv1-conv5 frozen, the rest (fc6, fc7 from the checkpoint, fc8) fine-tuned.
_base_ = ['./alexnet_voc07-multilabel.py']
model = dict(backbone=dict(frozen_stages=5))
