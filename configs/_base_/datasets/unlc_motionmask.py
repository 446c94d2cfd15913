# uNLC pseudo ground truth written by tools/unlc/generate_dataset.py (images/, masks/, annotations/).
dataset_type = 'MotionMaskDataset'
data_root = 'data/unlc/'
crop_size = 227
mask_size = 56

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadSoftMask'),
    dict(type='SampleObject', threshold=0.5, min_area=16),
    dict(type='JitteredObjectCrop', crop_size=crop_size, mask_size=mask_size,
         scale_range=(1.2, 1.8), shift_range=0.1),
    dict(type='MaskRandomFlip', prob=0.5),
    dict(type='PhotometricJitter', prob=0.5),
    dict(type='GenerateTrimap', pos_thr=0.7, neg_thr=0.4),
    dict(type='PackMotionMaskInputs'),
]
# Evaluation crops are jittered too (else a centred box would be a near-perfect guess), but
# reproducibly: each sample's jitter is seeded by its index.
val_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadSoftMask'),
    dict(type='SampleObject', threshold=0.5, min_area=16, seeded=True),
    dict(type='JitteredObjectCrop', crop_size=crop_size, mask_size=mask_size,
         scale_range=(1.2, 1.8), shift_range=0.1, seeded=True),
    dict(type='GenerateTrimap', pos_thr=0.7, neg_thr=0.4),
    dict(type='PackMotionMaskInputs'),
]

train_dataloader = dict(
    batch_size=32,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, data_root=data_root, ann_file='annotations/unlc_coco.json',
                 data_prefix=dict(img_path='images', mask_path='masks'), split='train',
                 val_fraction=0.02, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'),
    # add gt_mask_path='gt_masks' to data_prefix to also score against true masks (synthetic, DAVIS)
    dataset=dict(type=dataset_type, data_root=data_root, ann_file='annotations/unlc_coco.json',
                 data_prefix=dict(img_path='images', mask_path='masks'), split='val',
                 val_fraction=0.02, pipeline=val_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='MaskIoU', threshold=0.5)
test_evaluator = val_evaluator
