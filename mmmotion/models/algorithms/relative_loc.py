"""RelativeLoc (Context Prediction): learn features by telling where a patch lies relative to the
centre patch (Doersch, Gupta, Efros, "Unsupervised Visual Representation Learning by Context
Prediction", ICCV 2015)."""
from typing import List

import torch

from mmmotion.registry import MODELS
from .pretext_base import ViewClassificationPretext


@MODELS.register_module()
class RelativeLoc(ViewClassificationPretext):
    """The centre and neighbour patches of a pair (``PatchGridPair``: views 0 and 1) go through the
    shared backbone; their features, concatenated (centre first), go to an 8-way classifier with hidden
    fc layers (:class:`PretextClsHead`, the paper's fc7/fc8 after the per-patch fc6); label =
    ``position_label``.

    A batch of N pairs is 2N backbone inputs. Arguments: see :class:`ViewClassificationPretext`.
    """

    def combine(self, feats: torch.Tensor, num_views: int) -> torch.Tensor:
        if num_views != 2:
            raise ValueError(f'RelativeLoc takes 2 views (centre, neighbour) per pair, got {num_views}')
        centre, neighbour = feats.chunk(2)
        return torch.cat([centre, neighbour], dim=1)

    def targets(self, data_samples: List, num_views: int) -> torch.Tensor:
        return self.sample_field(data_samples, 'position_label', 'PatchGridPair').reshape(-1)
