from .pretrained import load_stage_weights

__all__ = ['load_stage_weights']
