from .alexnet_bbox_head import AlexNetBBoxHead
from .mask_head import MotionMaskHead, masked_bce_loss

__all__ = ['AlexNetBBoxHead', 'MotionMaskHead', 'masked_bce_loss']
