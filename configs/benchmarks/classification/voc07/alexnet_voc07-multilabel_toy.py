# The VOC07 multi-label config on mmmotion's generated toy VOC (mmmotion.datasets.toy_voc), CPU-sized.
_base_ = ['./alexnet_voc07-multilabel.py']

classes = ('disk', 'square', 'triangle')
data_root = 'data/toy_voc/VOC2007'
data_preprocessor = dict(num_classes=len(classes))
model = dict(head=dict(num_classes=len(classes)))
train_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root, split='trainval', metainfo=dict(classes=classes)))
val_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root, split='test', metainfo=dict(classes=classes)))
test_dataloader = val_dataloader

# A short iteration-based schedule for the toy data (CPU, minutes).
train_cfg = dict(_delete_=True, type='IterBasedTrainLoop', max_iters=200, val_interval=100)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[150], gamma=0.1)]
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=10),
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=100, max_keep_ckpts=2))
log_processor = dict(by_epoch=False)
