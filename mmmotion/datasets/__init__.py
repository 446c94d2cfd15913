from .coco_supervised_masks import CocoSupervisedMaskDataset  # noqa: F401
from .k_shot_dataset import KShotDataset  # noqa: F401
from .motion_mask_dataset import MotionMaskDataset  # noqa: F401
from .transforms import *  # noqa: F401,F403


def __getattr__(name: str):
    """Stanford 40 pulls in mmpretrain (seconds): imported on first use, or by configs' custom_imports."""
    if name in ('Stanford40', 'STANFORD40_ACTIONS'):
        from . import stanford40
        return getattr(stanford40, name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
