from .motion_mask import MotionMask
from .relative_loc import RelativeLoc
from .rotation_pred import RotationPred

__all__ = ['MotionMask', 'RelativeLoc', 'RotationPred']
