# The toy FCN benchmark on the 'photo' style of mmmotion's toy VOC (mmmotion.testing.toy_voc): 6 shapes at random
# rotations cut from real photos, over photo backgrounds with distractor blobs; only the outline names a class.
# Same model and schedule as ../toy/fcn_alexnet_toy.py. Setting "All"; >cK: fcn_alexnet-cK_toy-photo.py (conv1-cK
# frozen; >c5 is a 1x1-conv head on frozen conv2 + conv5 features).
# Data: python -c "from mmmotion.testing.toy_voc import make_toy_voc; make_toy_voc('data/toy_voc_photo', style='photo')"
_base_ = ['../toy/fcn_alexnet_toy.py']
benchmark = 'toy-photo-seg'  # generated toy VOC (photo style) trainval -> test

classes = ('background', 'disk', 'ring', 'triangle', 'square', 'star', 'cross')
palette = [[0, 0, 0], [220, 20, 60], [0, 128, 255], [255, 200, 0], [0, 170, 80], [150, 60, 200], [255, 120, 0]]
data_root = 'data/toy_voc_photo/VOC2007'
model = dict(decode_head=dict(num_classes=len(classes)))
train_dataloader = dict(dataset=dict(data_root=data_root, metainfo=dict(classes=classes, palette=palette)))
val_dataloader = dict(dataset=dict(data_root=data_root, metainfo=dict(classes=classes, palette=palette)))
test_dataloader = val_dataloader
