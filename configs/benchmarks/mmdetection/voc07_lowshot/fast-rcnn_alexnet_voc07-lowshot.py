# Low-shot transfer (paper Sec. 4.5): Fast R-CNN + AlexNet trained on k VOC07 trainval images per class
# (a seeded subset), tested on the full VOC07 test set. All layers fine-tuned; >cK overrides next to it.
# Change k and the subset: --cfg-options train_dataloader.dataset.dataset.shots=K (and .seed=S), or sweep
# them with SHOTS / SUBSET_SEEDS in tools/benchmarks/sweep.sh.
_base_ = ['../voc07/fast-rcnn_alexnet_voc07.py']
benchmark = 'voc07-lowshot-det'  # k images per class of VOC2007 trainval -> VOC2007 test

train_dataloader = dict(dataset=dict(
    times=30,  # a few hundred images: more passes for a comparable number of iterations
    dataset=dict(_delete_=True, type='mmmotion.KShotDataset', shots=10, seed=0, dataset={{_base_.voc_train}})))
