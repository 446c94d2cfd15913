# Supervised Masks at full scale on COCO 2014 (the paper's COCO): the COCO 2017 config with the 2014 files,
# read unchanged (data/coco/annotations/instances_{train,val}2014.json, train2014/, val2014/).
_base_ = '../../motionmask/motionmask_alexnet_8xb32-80k_coco-supervised-masks.py'

train_dataloader = dict(dataset=dict(ann_file='annotations/instances_train2014.json',
                                     data_prefix=dict(img_path='train2014/')))
val_dataloader = dict(dataset=dict(ann_file='annotations/instances_val2014.json',
                                   data_prefix=dict(img_path='val2014/')))
test_dataloader = val_dataloader
