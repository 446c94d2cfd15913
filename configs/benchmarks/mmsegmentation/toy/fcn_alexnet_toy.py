# The VOC12 FCN benchmark on mmmotion's generated toy VOC (mmmotion.testing.toy_voc), CPU-sized: toy trainval ->
# toy test, 3 classes and background, BN AlexNet (to take the tiny MotionMask config's checkpoints), a 128-channel
# head, 192x192 crops without photometric distortion, 100 iterations. Setting "All"; >cK: fcn_alexnet-cK_toy.py.
_base_ = ['../voc12/fcn_alexnet_voc12.py']
benchmark = 'toy-voc-seg'  # generated toy VOC trainval -> toy test

classes = ('background', 'disk', 'square', 'triangle')
palette = [[0, 0, 0], [220, 20, 60], [0, 128, 255], [255, 200, 0]]
data_root = 'data/toy_voc/VOC2007'
crop_size = (192, 192)
model = dict(
    data_preprocessor=dict(size=crop_size),
    backbone=dict(with_bn=True),
    decode_head=dict(channels=128, num_classes=len(classes)))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='RandomResize', scale=(256, 192), ratio_range=(0.75, 1.25), keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.9),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs'),
]
toy_dataset = dict(
    _delete_=True,
    type='BaseSegDataset',
    data_root=data_root,
    metainfo=dict(classes=classes, palette=palette),
    img_suffix='.jpg',
    seg_map_suffix='.png',
    reduce_zero_label=False,
    data_prefix=dict(img_path='JPEGImages', seg_map_path='SegmentationClass'))
train_dataloader = dict(
    num_workers=0, persistent_workers=False,
    dataset=dict(toy_dataset, ann_file='ImageSets/Segmentation/trainval.txt', pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=0, persistent_workers=False,
    dataset=dict(toy_dataset, ann_file='ImageSets/Segmentation/test.txt', pipeline=test_pipeline))
test_dataloader = val_dataloader
optim_wrapper = dict(optimizer=dict(lr=0.02))

# A short iteration-based schedule for the toy data (CPU, about a minute); one validation at the end.
max_iters = 100
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=max_iters, by_epoch=False)]
default_hooks = dict(logger=dict(interval=10), checkpoint=dict(interval=max_iters, max_keep_ckpts=2))
