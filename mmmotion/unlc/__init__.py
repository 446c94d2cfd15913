"""uNLC: unsupervised motion segmentation of video shots (Pathak et al., CVPR 2017).

Pure functions on arrays, one stage per module, plus thin registered wrappers so that a config
(``configs/unlc/*.py``) can swap any stage; :class:`UNLC` runs them on one shot.
"""
from .appearance_saliency import (ManifoldRankingSaliency, SpectralResidualSaliency,
                                  manifold_ranking_saliency, spectral_residual_saliency)
from .descriptors import HOGColourDescriptor, region_descriptors
from .flow import CoarseToFineFlow, DISFlow, FarnebackFlow, coarse_to_fine_flow
from .graph import BruteForceSearcher, FaissSearcher, KDTreeSearcher, knn_transition_matrix
from .motion_saliency import camera_motion, dominant_motion, motion_saliency, to_frame_saliency
from .pipeline import UNLC, as_rgb_frames
from .postprocess import DenseCRFRefiner, NoRefiner, damp_low_energy_blobs, remove_small_blobs
from .shot_appearance import NoShotAppearance, ShotColourGrowth, grow_with_shot_colours
from .superpixels import (OpenCVSLICSuperpixels, SLICSuperpixels, opencv_slic_superpixels,
                          slic_superpixels)
from .voting import consensus_voting, normalise_per_frame

__all__ = [
    'UNLC', 'as_rgb_frames', 'SLICSuperpixels', 'slic_superpixels', 'OpenCVSLICSuperpixels',
    'opencv_slic_superpixels', 'HOGColourDescriptor',
    'region_descriptors', 'FaissSearcher', 'KDTreeSearcher', 'BruteForceSearcher',
    'knn_transition_matrix', 'FarnebackFlow', 'DISFlow', 'CoarseToFineFlow', 'coarse_to_fine_flow',
    'camera_motion', 'dominant_motion', 'motion_saliency',
    'to_frame_saliency', 'ManifoldRankingSaliency', 'SpectralResidualSaliency',
    'manifold_ranking_saliency', 'spectral_residual_saliency', 'consensus_voting',
    'normalise_per_frame', 'damp_low_energy_blobs', 'remove_small_blobs', 'NoRefiner',
    'DenseCRFRefiner', 'ShotColourGrowth', 'NoShotAppearance', 'grow_with_shot_colours'
]
