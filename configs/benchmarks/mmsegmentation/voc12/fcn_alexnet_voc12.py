# FCN-8s-style segmentation with mmmotion's AlexNet on PASCAL VOC 2012: train on train (1464 images),
# mIoU on val (1449). Setting "All" (every layer fine-tuned); >cK variants: fcn_alexnet-cK_voc12.py.
_base_ = [
    'mmseg::_base_/datasets/pascal_voc12.py',
    '../_base_/fcn-skip_alexnet.py',
]
benchmark = 'voc12-seg'  # VOC2012 train -> VOC2012 val
