# "Supervised Masks": the same model trained on COCO instance masks, class labels discarded.
_base_ = [
    '../_base_/models/motionmask_alexnet.py',
    '../_base_/datasets/coco_supervised_masks.py',
    '../_base_/schedules/motionmask_sgd_80k.py',
    '../_base_/motionmask_runtime.py',
]
