from .augment import MaskRandomFlip, PhotometricJitter
from .degradation import MaskDegradation, dilate_or_erode, truncate_objects
from .formatting import PackMotionMaskInputs
from .loading import LoadSoftMask
from .object_crop import FrameAsObject, JitteredObjectCrop, SampleObject, mask_components
from .patch_grid import PatchGridPair
from .rotation import RotateViews
from .trimap import GenerateTrimap, soft_to_trimap

__all__ = [
    'LoadSoftMask', 'SampleObject', 'FrameAsObject', 'JitteredObjectCrop', 'mask_components', 'MaskDegradation',
    'dilate_or_erode', 'truncate_objects', 'GenerateTrimap', 'soft_to_trimap', 'MaskRandomFlip',
    'PhotometricJitter', 'PackMotionMaskInputs', 'PatchGridPair', 'RotateViews'
]
