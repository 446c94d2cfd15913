# Fast R-CNN + AlexNet, VOC07+12 trainval -> VOC07 test, all layers fine-tuned.
_base_ = ['../voc07/fast-rcnn_alexnet_voc07.py']
benchmark = 'voc0712-det'  # VOC07+12 trainval -> VOC2007 test

train_dataloader = dict(dataset=dict(dataset=dict(
    _delete_=True,
    type='ConcatDataset',
    ignore_keys=['dataset_type'],
    datasets=[
        dict(type='VOCDataset', data_root='data/VOCdevkit/', ann_file=f'VOC{year}/ImageSets/Main/trainval.txt',
             data_prefix=dict(sub_data_root=f'VOC{year}/'), proposal_file=f'VOC{year}/proposals/trainval.pkl',
             filter_cfg=dict(filter_empty_gt=True, min_size=32, bbox_min_size=32),
             pipeline={{_base_.train_pipeline}})
        for year in (2007, 2012)
    ])))
