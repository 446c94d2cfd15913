import numpy as np

from mmmotion.unlc.appearance_saliency import manifold_ranking_saliency, spectral_residual_saliency
from mmmotion.unlc.superpixels import slic_superpixels


def test_manifold_ranking_finds_the_distinct_central_object():
    rng = np.random.default_rng(0)
    frame = np.clip(rng.normal(90, 10, (90, 120, 3)), 0, 255).astype(np.uint8)
    frame[30:60, 45:80] = (220, 40, 40)
    labels = slic_superpixels(frame, n_segments=150)
    saliency = manifold_ranking_saliency(frame, labels)
    assert saliency.shape == (90, 120) and 0 <= saliency.min() and saliency.max() <= 1
    inside = np.zeros((90, 120), bool)
    inside[33:57, 48:77] = True
    assert saliency[inside].min() > 0.3 and np.percentile(saliency[~inside], 95) < 0.05


def test_spectral_residual_saliency_shape_and_range():
    frame = np.zeros((50, 70, 3), np.uint8)
    frame[20:30, 30:40] = 255
    saliency = spectral_residual_saliency(frame)
    assert saliency.shape == (50, 70) and saliency.max() == 1.0
