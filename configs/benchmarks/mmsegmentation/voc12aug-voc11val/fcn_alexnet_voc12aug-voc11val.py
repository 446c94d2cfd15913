# The VOC2012-aug training of ../voc12aug, evaluated on PASCAL VOC 2011 val (1111 images) as the paper
# reports segmentation. Expects the standard layout data/VOCdevkit/VOC2011 (VOCtrainval_25-May-2011.tar).
# VOC2011 val is part of VOC2012 val, which mmseg's aug.txt excludes, so no val image is trained on.
# Setting "All"; >cK variants: fcn_alexnet-cK_voc12aug-voc11val.py.
_base_ = ['../voc12aug/fcn_alexnet_voc12aug.py']
benchmark = 'voc12aug-voc11val-seg'  # VOC2012+SBD train -> VOC2011 val

voc11_root = 'data/VOCdevkit/VOC2011'
val_dataloader = dict(dataset=dict(data_root=voc11_root, ann_file='ImageSets/Segmentation/val.txt'))
test_dataloader = val_dataloader
