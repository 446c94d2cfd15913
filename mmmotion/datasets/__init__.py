from .coco_supervised_masks import CocoSupervisedMaskDataset  # noqa: F401
from .motion_mask_dataset import MotionMaskDataset  # noqa: F401
from .transforms import *  # noqa: F401,F403
