# mmpretrain's SimCLR (Chen et al., ICML 2020) on mmmotion's AlexNet, by config alone: fc7 (a vector,
# so no pooling in the neck) -> 2-layer MLP projection -> NT-Xent over 2 views per frame (a batch of
# N frames is 2N backbone inputs). mmpretrain's parts are named with their scope.
_base_ = './selfsup_alexnet.py'
model = dict(
    type='mmpretrain.SimCLR',
    neck=dict(type='mmpretrain.NonLinearNeck', in_channels=4096, hid_channels=2048, out_channels=128,
              num_layers=2, with_avg_pool=False),
    head=dict(type='mmpretrain.ContrastiveHead', loss=dict(type='mmpretrain.CrossEntropyLoss'), temperature=0.1))
# SimCLR's augmentations at AlexNet's 227 px.
view_pipeline = [
    dict(type='mmpretrain.RandomResizedCrop', scale=227),
    dict(type='RandomFlip', prob=0.5),
    dict(type='RandomApply', prob=0.8, transforms=[
        dict(type='mmpretrain.ColorJitter', brightness=0.8, contrast=0.8, saturation=0.8, hue=0.2)]),
    dict(type='mmpretrain.RandomGrayscale', prob=0.2, keep_channels=True, channel_weights=(0.114, 0.587, 0.2989)),
    dict(type='mmpretrain.GaussianBlur', magnitude_range=(0.1, 2.0), magnitude_std='inf', prob=0.5),
]
pretext_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='mmpretrain.MultiView', num_views=2, transforms=[view_pipeline]),
    dict(type='mmpretrain.PackInputs', meta_keys=['img_path']),
]
