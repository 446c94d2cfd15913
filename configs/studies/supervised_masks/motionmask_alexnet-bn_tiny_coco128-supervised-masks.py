# Supervised Masks in miniature (paper, Table 1; study 3 of tools/studies/supervised_masks.py): the tiny CPU
# MotionMask config trained on the COCO instance masks of one instances file, class labels discarded, with a
# seeded 20% of its images held out to measure mask IoU. Made for coco128 (the first 128 COCO train2017 images,
# ../shared/data/coco128: instances_train2017.json and train2017/); the tool sets the data root.
_base_ = '../../motionmask/motionmask_alexnet-bn_1xb8-100it_tiny.py'

coco = dict(type='CocoSupervisedMaskDataset', data_root='data/coco128/', ann_file='instances_train2017.json',
            data_prefix=dict(img_path='train2017/'), val_fraction=0.2, split_seed=0)
train_dataloader = dict(dataset=dict(coco, _delete_=True, split='train', pipeline=_base_.train_pipeline))
val_dataloader = dict(dataset=dict(coco, _delete_=True, split='val', pipeline=_base_.val_pipeline))
test_dataloader = val_dataloader
