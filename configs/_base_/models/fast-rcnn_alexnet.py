# Fast R-CNN with mmmotion's AlexNet (Pathak et al., CVPR 2017, Sec. 4.1): conv1-conv5 (stride 16) in the
# backbone, 6x6 RoI features, and AlexNet's own fc6/fc7 in the RoI head, so a checkpoint initialises conv1-fc7.
# A checkpoint goes to both: --cfg-options model.backbone.init_cfg.type=Pretrained
#   model.backbone.init_cfg.checkpoint=X model.roi_head.bbox_head.init_cfg.type=Pretrained
#   model.roi_head.bbox_head.init_cfg.checkpoint=X   (tools/benchmarks/mmdetection/run_sweep.sh does this)
_base_ = 'mmdet::_base_/models/fast-rcnn_r50_fpn.py'
custom_imports = dict(imports=['mmmotion.models', 'mmmotion.datasets', 'mmmotion.engine'],
                      allow_failed_imports=False)

with_bn = False  # True for BN AlexNet checkpoints (e.g. the tiny MotionMask config's)
model = dict(
    data_preprocessor=dict(pad_size_divisor=16),
    backbone=dict(
        _delete_=True,
        type='mmmotion.AlexNet',
        with_bn=with_bn,
        with_fc=False,  # fc6/fc7 live in the RoI head
        out_indices=(4, ),  # conv5, stride 16
        frozen_stages=-1),  # "All": overridden by the >cK configs
    neck=None,
    roi_head=dict(
        bbox_roi_extractor=dict(
            # RoIAlign has a CPU kernel; the paper's RoIPool is selectable on a GPU:
            # roi_layer=dict(type='RoIPool', output_size=6, spatial_scale=1 / 16)
            roi_layer=dict(type='RoIAlign', output_size=6, sampling_ratio=2),
            out_channels=256,
            featmap_strides=[16]),
        bbox_head=dict(
            _delete_=True,
            type='mmmotion.AlexNetBBoxHead',
            with_bn=with_bn,
            in_channels=256,
            roi_feat_size=6,
            num_classes=20,
            bbox_coder=dict(type='DeltaXYWHBBoxCoder', target_means=[0., 0., 0., 0.],
                            target_stds=[0.1, 0.1, 0.2, 0.2]),
            reg_class_agnostic=False,
            loss_cls=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
            loss_bbox=dict(type='SmoothL1Loss', beta=1.0, loss_weight=1.0))),
    train_cfg=dict(rcnn=dict(sampler=dict(num=128, pos_fraction=0.25))))
