from .alexnet_bbox_head import AlexNetBBoxHead
from .fcn_skip_head import FCNSkipHead
from .mask_head import MotionMaskHead, masked_bce_loss

__all__ = ['AlexNetBBoxHead', 'FCNSkipHead', 'MotionMaskHead', 'masked_bce_loss']
