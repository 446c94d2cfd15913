# The Stanford 40 benchmark on mmmotion's generated toy copy of its layout (mmmotion.testing.toy_stanford40):
# 3 "actions" (the toy shapes), top-1 accuracy only, and the toy VOC07 config's changes (BN AlexNet, crops,
# batches, schedule). Frozen settings: alexnet-cK_/alexnet-fc6-8_stanford40_toy.py.
# Data: python -c "from mmmotion.testing.toy_stanford40 import make_toy_stanford40 as m; m('data/toy_stanford40')"
_base_ = ['../stanford40/alexnet_stanford40.py']
benchmark = 'toy-stanford40-cls'  # generated toy Stanford 40

classes = ('disk', 'square', 'triangle')
data_root = 'data/toy_stanford40'
data_preprocessor = dict(num_classes=len(classes))
model = dict(backbone=dict(with_bn=True), head=dict(num_classes=len(classes)))
# As in the toy VOC07 config: crops keep >= 30% of the image, so the object stays in view.
train_pipeline = [dict(t, crop_ratio_range=(0.3, 1.0)) if t.type == 'RandomResizedCrop' else t
                  for t in _base_.train_pipeline]
train_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root, metainfo=dict(classes=classes), pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root, metainfo=dict(classes=classes)))
test_dataloader = val_dataloader
val_evaluator = [dict(type='Accuracy', topk=(1, )), dict(type='AveragePrecision')]
test_evaluator = val_evaluator

# The toy VOC07 schedule (~1-2 min on a 2-core CPU).
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
