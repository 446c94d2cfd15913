"""High-level entry points of mmmotion."""
from .generate_dataset import generate_dataset  # noqa: F401
from .segment import build_unlc, segment_video  # noqa: F401
from .backbone_export import export_backbone  # noqa: F401
from .motionmask import make_synthetic_motionmask_data, pretrain_motionmask  # noqa: F401
