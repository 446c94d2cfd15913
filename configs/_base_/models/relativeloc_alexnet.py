# RelativeLoc (Context Prediction, Doersch et al., ICCV 2015): a centre patch and one of its 8
# neighbours in a 3 x 3 grid (96 px patches, 48 px gaps, jitter up to 7 px, as in the paper), each
# resized to 227 px and through AlexNet to fc7 (shared weights); the two fc7 vectors, concatenated,
# -> fc 4096 -> fc 8. Resizing keeps every stage, fc6 and fc7 included, in the exported backbone
# (a batch of N pairs is 2N backbone inputs).
_base_ = './selfsup_alexnet.py'
model = dict(
    type='RelativeLoc',
    head=dict(type='PretextClsHead', in_channels=2 * 4096, num_classes=8, mid_channels=(4096, ), with_bn=True))
pretext_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PatchGridPair', patch_size=96, gap=48, jitter=7, out_size=227),
    dict(type='mmpretrain.PackInputs', algorithm_keys=['position_label'],
         meta_keys=['img_path', 'flip', 'patch_boxes', 'grid_scale']),
]
