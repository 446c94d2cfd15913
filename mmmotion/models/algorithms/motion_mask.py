"""MotionMask: learn features by predicting the moving object's mask from a single frame."""
from typing import Dict, List, Optional, Tuple, Union

import torch
import torch.nn.functional as F
from mmengine.model import BaseModel
from mmengine.structures import BaseDataElement, PixelData

from mmmotion.registry import MODELS


@MODELS.register_module()
class MotionMask(BaseModel):
    """Backbone (AlexNet up to fc7 in the paper) -> :class:`MotionMaskHead` -> s x s mask.

    Args:
        backbone: backbone config (``mmmotion.AlexNet`` with ``out_indices=(6, )``, or any
            registered backbone, e.g. ``mmpretrain.ResNet`` with a map head).
        head: mask head config.
        neck: optional neck config between them.
        data_preprocessor: e.g. ``dict(type='ImgDataPreprocessor', mean=..., std=..., bgr_to_rgb=True)``.
        init_cfg: initialisation config.
    """

    def __init__(self,
                 backbone: dict,
                 head: dict,
                 neck: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, list]] = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(type='ImgDataPreprocessor')
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.neck = MODELS.build(neck) if neck is not None else None
        self.head = MODELS.build(head)

    def extract_feat(self, inputs: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Backbone (and neck) features of a normalised batch."""
        feats = self.backbone(inputs)
        if self.neck is not None:
            feats = self.neck(feats)
        return feats if isinstance(feats, (tuple, list)) else (feats, )

    def forward(self, inputs: torch.Tensor, data_samples: Optional[List[BaseDataElement]] = None,
                mode: str = 'tensor'):
        if mode == 'tensor':
            return self.head(self.extract_feat(inputs))
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise RuntimeError(f'Invalid mode "{mode}": use "tensor", "loss" or "predict"')

    @staticmethod
    def _targets(data_samples: List[BaseDataElement]) -> torch.Tensor:
        missing = [i for i, s in enumerate(data_samples) if 'gt_mask' not in s]
        if missing:
            raise KeyError(f'data samples {missing} have no `gt_mask` (is GenerateTrimap in the pipeline?)')
        return torch.stack([s.gt_mask.data[0] for s in data_samples])

    def loss(self, inputs: torch.Tensor, data_samples: List[BaseDataElement]) -> Dict[str, torch.Tensor]:
        """The masked BCE loss of the batch."""
        targets = self._targets(data_samples).to(inputs.device)
        return self.head.loss(self.extract_feat(inputs), targets)

    def predict(self, inputs: torch.Tensor,
                data_samples: Optional[List[BaseDataElement]] = None) -> List[BaseDataElement]:
        """Per image: ``pred_mask`` (1 x s x s probabilities) and ``pred_mask_crop`` (the same
        upsampled bilinearly to the input crop, 1 x H x W)."""
        probs = self.head.predict(self.extract_feat(inputs))
        crop = F.interpolate(probs[:, None], size=inputs.shape[-2:], mode='bilinear',
                             align_corners=False)[:, 0]
        if data_samples is None:
            data_samples = [BaseDataElement() for _ in range(len(probs))]
        for sample, prob, prob_crop in zip(data_samples, probs, crop):
            sample.pred_mask = PixelData(data=prob[None])
            sample.pred_mask_crop = PixelData(data=prob_crop[None])
        return data_samples
