# Stanford 40 Actions single-label classification with mmmotion's AlexNet: fc7 -> linear 40-way head.
# This is the "All" setting; alexnet-cK_stanford40.py freeze conv1..convK (>cK), alexnet-fc6-8_stanford40.py
# learns fc6-fc8 only. Model, pipelines, optimizer and schedule are those of the VOC07 benchmark.
# Metrics: accuracy/top1, accuracy/top5 and multi-label/mAP (mean over actions of one-vs-rest AP).
_base_ = ['../voc07/alexnet_voc07-multilabel.py']
benchmark = 'stanford40-cls'  # Stanford 40 train -> test
custom_imports = dict(imports=['mmmotion.models', 'mmmotion.engine', 'mmmotion.datasets.stanford40'],
                      allow_failed_imports=False)

num_classes = 40
data_root = 'data/Stanford40'
data_preprocessor = dict(num_classes=num_classes, to_onehot=False)
model = dict(head=dict(_delete_=True, type='LinearClsHead', num_classes=num_classes, in_channels=4096,
                       loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))

test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='ResizeEdge', scale=256, edge='short'),
    dict(type='CenterCrop', crop_size=227),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    dataset=dict(_delete_=True, type='mmmotion.Stanford40', data_root=data_root, split='train',
                 pipeline={{_base_.train_pipeline}}))
val_dataloader = dict(
    dataset=dict(_delete_=True, type='mmmotion.Stanford40', data_root=data_root, split='test',
                 pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = [dict(type='Accuracy', topk=(1, 5)), dict(type='AveragePrecision')]
test_evaluator = val_evaluator
