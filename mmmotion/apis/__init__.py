"""High-level entry points of mmmotion. uNLC's and the generator's load no torch: their tools and pool
workers import this package."""
from mmmotion.pseudo_gt.generate import generate_dataset  # noqa: F401
from .segment import build_unlc, segment_video  # noqa: F401
from .motionmask import pretrain_motionmask  # noqa: F401
from .pretext import pretrain_pretext  # noqa: F401


def __getattr__(name: str):
    """``export_backbone`` loads torch (seconds): imported on first use."""
    if name == 'export_backbone':
        from .backbone_export import export_backbone
        return export_backbone
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
