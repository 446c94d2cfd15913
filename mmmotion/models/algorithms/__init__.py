"""Algorithms. The classification pretexts (RelativeLoc, RotationPred) are built on mmpretrain's
self-supervised model interface: imported, and registered, where mmpretrain is installed, so MotionMask also
trains where it is not (a GPU machine with mmcv's CUDA-less build, say)."""
from importlib.util import find_spec

from .motion_mask import MotionMask

__all__ = ['MotionMask']
if find_spec('mmpretrain') is not None:
    from .relative_loc import RelativeLoc  # noqa: F401
    from .rotation_pred import RotationPred  # noqa: F401
    __all__ += ['RelativeLoc', 'RotationPred']
