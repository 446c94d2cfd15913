from .mask_visualization_hook import MaskVisualizationHook
from .weights_only_checkpoint_hook import WeightsOnlyCheckpointHook

__all__ = ['WeightsOnlyCheckpointHook', 'MaskVisualizationHook']
