"""RotationPred (RotNet): learn features by recognising which of 4 rotations an image was given
(Gidaris, Singh, Komodakis, "Unsupervised Representation Learning by Predicting Image Rotations", ICLR 2018)."""
from typing import List

import torch

from mmmotion.registry import MODELS
from .pretext_base import ViewClassificationPretext


@MODELS.register_module()
class RotationPred(ViewClassificationPretext):
    """Every rotated view (``RotateViews``) is one example: backbone (AlexNet to fc7) -> 4-way
    classifier (:class:`PretextClsHead`), label = the view's quarter turns (``rotation_labels``).

    A batch of N images is 4N backbone inputs. Arguments: see :class:`ViewClassificationPretext`.
    """

    def combine(self, feats: torch.Tensor, num_views: int) -> torch.Tensor:
        return feats

    def targets(self, data_samples: List, num_views: int) -> torch.Tensor:
        labels = self.sample_field(data_samples, 'rotation_labels', 'RotateViews')  # (N, V)
        if labels.shape[1] != num_views:
            raise ValueError(f'{labels.shape[1]} rotation labels per image for {num_views} views')
        return labels.t().reshape(-1)  # view-major, as the features
