"""mmmotion: "Learning Features by Watching Objects Move" as an OpenMMLab plugin."""
from .version import __version__

__all__ = ['__version__']
