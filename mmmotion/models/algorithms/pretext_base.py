"""What the classification pretexts share: views of each image through one backbone, a label per
example, a classifier head (mmpretrain's self-supervised model interface)."""
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn
from mmpretrain.models.selfsup import BaseSelfSupervisor

from mmmotion.datasets.transforms.formatting import views_of
from mmmotion.registry import MODELS


def _built(cfg: Union[None, dict, nn.Module]) -> Optional[nn.Module]:
    return MODELS.build(cfg) if isinstance(cfg, dict) else cfg


class ViewClassificationPretext(BaseSelfSupervisor):
    """A :class:`~mmpretrain.models.selfsup.BaseSelfSupervisor` whose inputs are V views per image (a
    list of V batches, as ``SelfSupDataPreprocessor`` gives them), all through the shared backbone (and
    neck) at once; subclasses say how the view features make the head's examples
    (:meth:`combine`) and what their labels are (:meth:`targets`).

    Modules are built with mmmotion's registry (``type='AlexNet'`` is mmmotion's, whatever the default
    scope), so mmpretrain's parts are named ``mmpretrain.X``.

    Args:
        backbone: e.g. ``dict(type='AlexNet', out_indices=(6, ))``; its last output is used.
        head: a head with ``loss(feats, labels) -> dict``, e.g. :class:`PretextClsHead`.
        neck: optional neck between them.
        data_preprocessor: default ``mmpretrain.SelfSupDataPreprocessor`` (no normalisation: set it).
        init_cfg: initialisation config.
    """

    def __init__(self,
                 backbone: dict,
                 head: dict,
                 neck: Optional[dict] = None,
                 data_preprocessor: Optional[Union[dict, nn.Module]] = None,
                 init_cfg: Optional[Union[dict, list]] = None) -> None:
        if data_preprocessor is None or isinstance(data_preprocessor, dict):
            data_preprocessor = dict(data_preprocessor or {})
            data_preprocessor.setdefault('type', 'mmpretrain.SelfSupDataPreprocessor')
        super().__init__(backbone=_built(backbone), neck=_built(neck), head=_built(head),
                         data_preprocessor=_built(data_preprocessor), init_cfg=init_cfg)

    def extract_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """The last backbone (neck) output of a batch (N, C, H, W)."""
        feats = self.backbone(inputs)
        if self.with_neck:
            feats = self.neck(feats)
        return feats[-1] if isinstance(feats, (tuple, list)) else feats

    def combine(self, feats: torch.Tensor, num_views: int) -> torch.Tensor:
        """The head's inputs from the features of all views, view-major ((V * N, C), view v of image i
        at row v * N + i)."""
        raise NotImplementedError

    def targets(self, data_samples: List, num_views: int) -> torch.Tensor:
        """One label per row of :meth:`combine`'s output."""
        raise NotImplementedError

    @staticmethod
    def sample_field(data_samples: List, key: str, transform: str) -> torch.Tensor:
        """``key`` of every data sample, stacked (an error names the samples without it)."""
        missing = [i for i, sample in enumerate(data_samples) if key not in sample]
        if missing:
            raise KeyError(f'data samples {missing} have no `{key}` (is {transform} in the pipeline, and '
                           f"PackInputs(algorithm_keys=['{key}']) after it?)")
        return torch.stack([torch.as_tensor(sample.get(key)) for sample in data_samples])

    def loss(self, inputs: Union[torch.Tensor, List[torch.Tensor]], data_samples: List) -> Dict[str, torch.Tensor]:
        """The head's losses on the batch: ``inputs`` is a list of V view batches (N, C, H, W)."""
        views = views_of(inputs)
        feats = self.extract_feat(torch.cat(views))
        labels = self.targets(data_samples, len(views)).to(feats.device)
        return self.head.loss(self.combine(feats, len(views)), labels)
