"""High-level entry points of mmmotion."""
from mmmotion.pseudo_gt.generate import generate_dataset  # noqa: F401
from .segment import build_unlc, segment_video  # noqa: F401
from .backbone_export import export_backbone  # noqa: F401
from .motionmask import pretrain_motionmask  # noqa: F401


def __getattr__(name: str):
    """``make_synthetic_motionmask_data`` moved to :mod:`mmmotion.testing`; kept here for one release."""
    if name == 'make_synthetic_motionmask_data':
        import warnings
        warnings.warn('mmmotion.apis.make_synthetic_motionmask_data moved to mmmotion.testing', DeprecationWarning,
                      stacklevel=2)
        from mmmotion.testing.motionmask_data import make_synthetic_motionmask_data
        return make_synthetic_motionmask_data
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
