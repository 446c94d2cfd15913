# The toy VOC07 multi-label benchmark on the 'photo' style of mmmotion's toy VOC (mmmotion.testing.toy_voc): 6 shapes
# at random rotations cut from real photos, over photo backgrounds with distractor blobs. Same model and schedule
# as ../voc07_toy/alexnet_voc07-multilabel_toy.py. Frozen settings: alexnet-cK_voc07-multilabel_toy-photo.py.
# Data: python -c "from mmmotion.testing.toy_voc import make_toy_voc; make_toy_voc('data/toy_voc_photo', style='photo')"
_base_ = ['../voc07_toy/alexnet_voc07-multilabel_toy.py']
benchmark = 'toy-photo-voc07-cls'  # generated toy VOC (photo style) trainval -> test

classes = ('disk', 'ring', 'triangle', 'square', 'star', 'cross')
data_root = 'data/toy_voc_photo/VOC2007'
data_preprocessor = dict(num_classes=len(classes))
model = dict(head=dict(num_classes=len(classes)))
train_dataloader = dict(dataset=dict(data_root=data_root, metainfo=dict(classes=classes)))
val_dataloader = dict(dataset=dict(data_root=data_root, metainfo=dict(classes=classes)))
test_dataloader = val_dataloader
