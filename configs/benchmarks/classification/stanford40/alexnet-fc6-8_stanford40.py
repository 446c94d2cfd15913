# fc6-8 only on Stanford 40: conv1-conv5 transferred and frozen, fc6/fc7 re-initialised (not loaded from
# the checkpoint), so only fc6-fc8 are learned. Unlike >c5, where fc6/fc7 start from the checkpoint.
_base_ = ['./alexnet_stanford40.py']
model = dict(backbone=dict(frozen_stages=5, reinit_stages=('fc6', 'fc7')))
