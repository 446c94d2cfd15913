from .mask_head import MotionMaskHead, masked_bce_loss

__all__ = ['MotionMaskHead', 'masked_bce_loss']
