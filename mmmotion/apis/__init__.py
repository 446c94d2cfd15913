"""High-level entry points of mmmotion."""
from mmmotion.pseudo_gt.generate import generate_dataset  # noqa: F401
from .segment import build_unlc, segment_video  # noqa: F401
from .backbone_export import export_backbone  # noqa: F401
from .motionmask import pretrain_motionmask  # noqa: F401
from .pretext import pretrain_pretext  # noqa: F401
