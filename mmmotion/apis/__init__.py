"""High-level entry points of mmmotion."""
from mmmotion.pseudo_gt.generate import generate_dataset  # noqa: F401
from mmmotion.utils.moved import moved_attributes
from .segment import build_unlc, segment_video  # noqa: F401
from .backbone_export import export_backbone  # noqa: F401
from .motionmask import pretrain_motionmask  # noqa: F401
from .pretext import pretrain_pretext  # noqa: F401

__getattr__ = moved_attributes(__name__, dict(make_synthetic_motionmask_data='mmmotion.testing.motionmask_data'))
