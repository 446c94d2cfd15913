# FCN-8s-style segmentation with mmmotion's AlexNet on PASCAL VOC 2012 + SBD ("aug", mmseg's
# tools/dataset_converters/voc_aug.py: 10582 train images, VOC2012 val excluded), mIoU on VOC2012 val.
# Setting "All"; >cK variants: fcn_alexnet-cK_voc12aug.py.
_base_ = [
    'mmseg::_base_/datasets/pascal_voc12_aug.py',
    '../_base_/fcn-skip_alexnet.py',
]
benchmark = 'voc12aug-seg'  # VOC2012+SBD train -> VOC2012 val
