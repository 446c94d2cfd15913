# >c2 on the photo-style toy VOC07 multi-label: conv1-conv2 frozen, the rest fine-tuned.
_base_ = ['./alexnet_voc07-multilabel_toy-photo.py']
model = dict(backbone=dict(frozen_stages=2))
