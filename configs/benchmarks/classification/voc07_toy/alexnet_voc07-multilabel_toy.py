# The VOC07 multi-label benchmark on mmmotion's generated toy VOC (mmmotion.testing.toy_voc), CPU-sized: 3 classes,
# BN AlexNet (the tiny MotionMask config exports one), crops keeping >= 30% of the image, batches of 8 and 100
# iterations. Frozen settings: alexnet-cK_/alexnet-fc6-8_voc07-multilabel_toy.py.
# Data: python -c "from mmmotion.testing.toy_voc import make_toy_voc; make_toy_voc('data/toy_voc')"
_base_ = ['../voc07/alexnet_voc07-multilabel.py']
benchmark = 'toy-voc07-cls'  # generated toy VOC trainval -> toy test

classes = ('disk', 'square', 'triangle')
data_root = 'data/toy_voc/VOC2007'
data_preprocessor = dict(num_classes=len(classes))
model = dict(backbone=dict(with_bn=True), head=dict(num_classes=len(classes)))
# Crops keep >= 30% of the image: smaller ones would often cut away the (48-96 px) objects their labels name.
train_pipeline = [dict(t, crop_ratio_range=(0.3, 1.0)) if t.type == 'RandomResizedCrop' else t
                  for t in _base_.train_pipeline]
train_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root, metainfo=dict(classes=classes), pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root, metainfo=dict(classes=classes)))
test_dataloader = val_dataloader

# A short iteration-based schedule: warm-up, one lr step, validation at the end. 2.7 CPU-minutes (about 1.5 min
# on 2 idle cores; 5 min measured with the cores shared). lr 0.001: 0.005 made the loss climb. Random init: ~81 mAP.
max_iters = 100
optim_wrapper = dict(optimizer=dict(lr=0.001))
train_cfg = dict(_delete_=True, type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='LinearLR', by_epoch=False, start_factor=0.1, begin=0, end=10),
    dict(type='MultiStepLR', by_epoch=False, milestones=[75], gamma=0.1),
]
default_hooks = dict(logger=dict(interval=10), checkpoint=dict(by_epoch=False, interval=max_iters, max_keep_ckpts=2))
log_processor = dict(by_epoch=False)
