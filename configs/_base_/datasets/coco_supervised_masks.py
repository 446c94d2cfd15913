# "Supervised Masks" (paper, Table 1): COCO 2017 instance masks, class labels discarded. The
# pipelines are the uNLC ones: LoadSoftMask rasterises the instances (crowds become 0.5, which the
# trimap ignores) and SampleObject picks one instance box per sample.
_base_ = ['./unlc_motionmask.py']

dataset_type = 'CocoSupervisedMaskDataset'
data_root = 'data/coco/'
train_dataloader = dict(
    dataset=dict(_delete_=True, type=dataset_type, data_root=data_root,
                 ann_file='annotations/instances_train2017.json',
                 data_prefix=dict(img_path='train2017/'), pipeline={{_base_.train_pipeline}}))
val_dataloader = dict(
    dataset=dict(_delete_=True, type=dataset_type, data_root=data_root,
                 ann_file='annotations/instances_val2017.json',
                 data_prefix=dict(img_path='val2017/'), pipeline={{_base_.val_pipeline}}))
test_dataloader = val_dataloader
