"""Heads. The transfer toolboxes' heads (AlexNetBBoxHead of Fast R-CNN, on mmdet; FCNSkipHead, on mmseg) are
imported, and registered, where their toolbox is installed: MotionMask needs neither, so it also trains where
they are not (a GPU machine with mmcv's CUDA-less build, which mmdet cannot import, say). The configs that use
them start from the toolbox's own base configs, which say so when it is missing."""
from importlib.util import find_spec

from .mask_head import MotionMaskHead, masked_bce_loss
from .pretext_cls_head import PretextClsHead

__all__ = ['MotionMaskHead', 'masked_bce_loss', 'PretextClsHead']
if find_spec('mmdet') is not None:
    from .alexnet_bbox_head import AlexNetBBoxHead  # noqa: F401
    __all__.append('AlexNetBBoxHead')
if find_spec('mmseg') is not None:
    from .fcn_skip_head import FCNSkipHead  # noqa: F401
    __all__.append('FCNSkipHead')
