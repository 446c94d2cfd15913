"""Data that mmmotion generates for tests, the demo and toy experiments (as ``mmdet.testing``): synthetic
clips with known masks, a toy VOC and a toy Stanford 40 on real photos, proposals around known boxes.
Nothing in the runtime API depends on it."""
from .motionmask_data import make_synthetic_motionmask_data
from .proposals import jittered_box_proposals
from .synthetic import SyntheticClip, make_synthetic_clip, synthetic_suite, write_davis_sequence, write_davis_suite
from .toy_stanford40 import make_toy_stanford40
from .toy_voc import TOY_CLASSES, TOY_PALETTE, make_toy_voc

__all__ = [
    'make_synthetic_motionmask_data', 'jittered_box_proposals', 'SyntheticClip', 'make_synthetic_clip',
    'synthetic_suite', 'write_davis_sequence', 'write_davis_suite', 'make_toy_stanford40', 'TOY_CLASSES',
    'TOY_PALETTE', 'make_toy_voc'
]
