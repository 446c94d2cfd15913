"""Fast R-CNN's RoI head for AlexNet: pooled conv5 RoI features -> fc6 -> fc7 -> class scores and box deltas."""
from typing import Optional, Sequence, Tuple, Union

import torch
from mmdet.models.roi_heads.bbox_heads import BBoxHead
from mmdet.registry import MODELS as MMDET_MODELS
from mmengine.model import constant_init, normal_init

from mmmotion.models.backbones.alexnet import FC_INIT_BIAS, FC_INIT_STD, alexnet_fc_stage
from mmmotion.models.utils import load_stage_weights
from mmmotion.registry import MODELS


@MODELS.register_module()
class AlexNetBBoxHead(BBoxHead):
    """The paper's detection head: AlexNet's own fc6 and fc7 on 6x6 RoI features of conv5.

    fc6/fc7 are built exactly as in :class:`mmmotion.AlexNet` (same keys, BN or not), so a
    ``Pretrained`` ``init_cfg`` initialises them from the checkpoint's fc6/fc7 (training checkpoint with
    ``prefix`` or an exported backbone), while the backbone (``with_fc=False``) takes conv1-conv5.
    ``fc_cls``/``fc_reg`` always start from mmdet's default init.

    Args:
        with_bn: match a BN AlexNet checkpoint (BatchNorm1d after each fc).
        dropout: dropout after fc6 and fc7.
        reinit_stages: e.g. ``('fc6', 'fc7')`` to keep them randomly initialised despite a checkpoint.
        init_cfg: ``dict(type='Pretrained', checkpoint=..., prefix='backbone.')`` or None (random).
        **kwargs: mmdet ``BBoxHead`` arguments (``num_classes``, ``bbox_coder``, losses ...).
    """

    def __init__(self,
                 in_channels: int = 256,
                 roi_feat_size: int = 6,
                 with_bn: bool = False,
                 dropout: float = 0.5,
                 reinit_stages: Sequence[str] = (),
                 init_cfg: Optional[Union[dict, list]] = None,
                 **kwargs) -> None:
        self.pretrained_cfg = None
        if isinstance(init_cfg, dict) and init_cfg.get('type') == 'Pretrained':
            self.pretrained_cfg, init_cfg = dict(init_cfg), None
        super().__init__(with_avg_pool=False, in_channels=in_channels, roi_feat_size=roi_feat_size,
                         init_cfg=init_cfg, **kwargs)
        self.reinit_stages = tuple(reinit_stages)
        self.fc6 = alexnet_fc_stage(in_channels * self.roi_feat_area, with_bn, dropout, from_pool5=False)
        self.fc7 = alexnet_fc_stage(4096, with_bn, dropout, from_pool5=False)
        # mmdet sized the predictors for flattened RoI features; they sit on fc7 here (built from
        # mmdet's registry, as BBoxHead does).
        if self.with_cls:
            self.fc_cls = MMDET_MODELS.build(dict(self.cls_predictor_cfg, in_features=4096,
                                                  out_features=self.fc_cls.out_features))
        if self.with_reg:
            self.fc_reg = MMDET_MODELS.build(dict(self.reg_predictor_cfg, in_features=4096,
                                                  out_features=self.fc_reg.out_features))

    def init_weights(self) -> None:
        """mmdet's init for the predictors, AlexNet's for fc6/fc7, then the checkpoint's fc6/fc7."""
        super().init_weights()
        for stage in (self.fc6, self.fc7):
            normal_init(stage.fc, std=FC_INIT_STD, bias=FC_INIT_BIAS)
            if hasattr(stage, 'bn'):
                constant_init(stage.bn, 1, bias=0)
        if self.pretrained_cfg is None:
            return
        stages = [name for name in ('fc6', 'fc7') if name not in self.reinit_stages]
        weights = load_stage_weights(self.pretrained_cfg['checkpoint'], stages,
                                     self.pretrained_cfg.get('prefix', 'backbone.'), self.state_dict())
        self.load_state_dict(weights, strict=False)

    def forward(self, x: torch.Tensor) -> Tuple[Optional[torch.Tensor], Optional[torch.Tensor]]:
        """(num_rois, C, 6, 6) RoI features -> class scores (num_rois, K + 1), box deltas."""
        x = self.fc7(self.fc6(x))
        cls_score = self.fc_cls(x) if self.with_cls else None
        bbox_pred = self.fc_reg(x) if self.with_reg else None
        return cls_score, bbox_pred
