# Fast R-CNN + AlexNet, VOC2012 trainval -> VOC2012 val, all layers fine-tuned.
_base_ = ['../voc07/fast-rcnn_alexnet_voc07.py']
benchmark = 'voc12-det'  # VOC2012 trainval -> VOC2012 val

train_dataloader = dict(dataset=dict(dataset=dict(
    ann_file='VOC2012/ImageSets/Main/trainval.txt',
    data_prefix=dict(sub_data_root='VOC2012/'),
    proposal_file='VOC2012/proposals/trainval.pkl')))
val_dataloader = dict(dataset=dict(
    ann_file='VOC2012/ImageSets/Main/val.txt',
    data_prefix=dict(sub_data_root='VOC2012/'),
    proposal_file='VOC2012/proposals/val.pkl'))
test_dataloader = val_dataloader
val_evaluator = dict(eval_mode='area')  # VOC2012 AP is the area under the curve, not 11 points
test_evaluator = val_evaluator
