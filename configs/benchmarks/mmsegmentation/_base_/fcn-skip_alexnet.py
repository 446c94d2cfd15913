# FCN with skip connections (FCN-8s style) on mmmotion's dense AlexNet; runtime and 20k-iteration schedule of
# mmseg. The dataset configs in ../voc12, ../voc12aug and ../voc12aug-voc11val add the data on top.
_base_ = [
    'mmseg::_base_/default_runtime.py',
    'mmseg::_base_/schedules/schedule_20k.py',
]
custom_imports = dict(imports=['mmmotion.models', 'mmmotion.engine'], allow_failed_imports=False)

model = dict(
    type='EncoderDecoder',
    data_preprocessor=dict(
        type='SegDataPreProcessor',
        # ImageNet mean/std on RGB, as the MotionMask pretraining normalises its input
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True,
        pad_val=0,
        seg_pad_val=255,
        size=(512, 512)),
    # CaffeNet layout (LRN, no BN) as the full MotionMask configs train it; conv2 (stride 8) and conv5
    # (stride 16) feed the head. frozen_stages=k freezes conv1..convk (the >ck settings).
    backbone=dict(type='mmmotion.AlexNet', fully_conv=True, with_bn=False, out_indices=(1, 4), frozen_stages=-1),
    decode_head=dict(
        type='mmmotion.FCNSkipHead',
        in_channels=(256, 256),
        in_index=(0, 1),
        channels=256,
        kernel_size=1,
        fusion='sum',
        dropout_ratio=0.1,
        num_classes=21,
        # BN in each branch puts conv2 and conv5 on one scale before the sum, whatever the backbone init
        norm_cfg=dict(type='BN', requires_grad=True),
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
