"""High-level entry points of mmmotion."""
from .generate_dataset import generate_dataset  # noqa: F401
from .segment import build_unlc, segment_video  # noqa: F401
