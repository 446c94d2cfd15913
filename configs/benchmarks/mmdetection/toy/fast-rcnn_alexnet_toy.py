# The VOC07 Fast R-CNN benchmark on mmmotion's generated toy VOC (mmmotion.testing.toy_voc), CPU-sized: 3 classes,
# BN AlexNet (to take the tiny MotionMask config's checkpoints), the images' own scale, fewer proposals and RoIs,
# boxes down to 8 px, no dataset repeats, 200 iterations. >cK variants: fast-rcnn_alexnet-cK_toy.py.
_base_ = ['../voc07/fast-rcnn_alexnet_voc07.py']
benchmark = 'toy-voc-det'  # generated toy VOC trainval -> toy test

classes = ('disk', 'square', 'triangle')
data_root = 'data/toy_voc/'
model = dict(
    backbone=dict(with_bn=True),
    roi_head=dict(bbox_head=dict(with_bn=True, num_classes=len(classes))),
    train_cfg=dict(rcnn=dict(sampler=dict(num=32))))  # RoIs per image: fc6 dominates the CPU time

# The base pipelines resized to `scale`, with 200 proposals an image in training and the top-ranked 100 in
# testing (recall ~0.85).
scale = (256, 192)  # the generated images' own size
train_pipeline = [
    dict(t, num_max_proposals=200) if t.type == 'LoadProposals' else
    dict(t, transforms=[dict(r, scale=scale) if r.type == 'Resize' else r for r in t.transforms])
    if t.type == 'ProposalBroadcaster' else t for t in _base_.train_pipeline]
test_pipeline = [
    dict(t, num_max_proposals=100) if t.type == 'LoadProposals' else
    dict(t, transforms=[dict(r, scale=scale) if r.type == 'Resize' else r for r in t.transforms])
    if t.type == 'ProposalBroadcaster' else t for t in _base_.test_pipeline]
train_dataloader = dict(
    num_workers=0,
    persistent_workers=False,
    batch_sampler=None,
    # the base's VOC07 trainval without the RepeatDataset around it
    dataset=dict(_base_.voc_train, _delete_=True, data_root=data_root, metainfo=dict(classes=classes),
                 filter_cfg=dict(filter_empty_gt=True, min_size=16, bbox_min_size=8), pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=0,
    persistent_workers=False,
    dataset=dict(data_root=data_root, metainfo=dict(classes=classes), pipeline=test_pipeline))
test_dataloader = val_dataloader
optim_wrapper = dict(optimizer=dict(lr=0.005))

# A short iteration-based schedule for the toy data (CPU, a few minutes).
train_cfg = dict(_delete_=True, type='IterBasedTrainLoop', max_iters=200, val_interval=200)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=20),
    dict(type='MultiStepLR', by_epoch=False, milestones=[150], gamma=0.1),
]
default_hooks = dict(logger=dict(interval=20), checkpoint=dict(by_epoch=False, interval=200, max_keep_ckpts=2))
log_processor = dict(by_epoch=False)
