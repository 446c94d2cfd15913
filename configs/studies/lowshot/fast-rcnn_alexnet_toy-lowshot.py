# Low-shot detection in miniature (study 4, tools/studies/lowshot.py): the toy VOC Fast R-CNN benchmark trained on
# k images per class of its trainval set (a seeded subset, mmmotion.KShotDataset), tested on the whole toy test
# set. All layers fine-tuned; the >c5 setting is fast-rcnn_alexnet-c5_toy-lowshot.py. The study sweeps k and the
# subset seed with --cfg-options train_dataloader.dataset.shots=K train_dataloader.dataset.seed=S.
_base_ = ['../../benchmarks/mmdetection/toy/fast-rcnn_alexnet_toy.py']
benchmark = 'toy-voc-lowshot-det'  # k images per class of toy VOC trainval -> toy VOC test

# k=1 keeps a couple of images, so an epoch is one or two iterations; mmengine pauses 2 s at every epoch end of
# an iteration-based loop, which made 200 iterations take 7 min instead of 1.5. An infinite sampler has no epochs.
train_dataloader = dict(
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(_delete_=True, type='mmmotion.KShotDataset', shots=10, seed=0,
                 dataset=_base_.train_dataloader.dataset))
