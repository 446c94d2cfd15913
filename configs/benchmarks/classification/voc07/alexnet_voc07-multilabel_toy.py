# The VOC07 multi-label config on mmmotion's generated toy VOC (mmmotion.datasets.toy_voc), CPU-sized.
_base_ = ['./alexnet_voc07-multilabel.py', '../../../_base_/iter_schedule_toy.py']

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
