from .motion_mask import MotionMask

__all__ = ['MotionMask']
