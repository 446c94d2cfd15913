import numpy as np
import pytest

from mmmotion.registry import NN_SEARCHERS
from mmmotion.unlc.graph import knn_transition_matrix, principal_components

SEARCHERS = ['FaissSearcher', 'KDTreeSearcher', 'BruteForceSearcher']


def random_regions(n_frames=6, per_frame=(20, 25), dim=12, seed=0):
    rng = np.random.default_rng(seed)
    counts = rng.integers(*per_frame, n_frames)
    offsets = np.concatenate([[0], np.cumsum(counts)])
    return rng.random((offsets[-1], dim)).astype(np.float32), offsets


@pytest.mark.parametrize('searcher', SEARCHERS)
def test_transition_matrix_is_sparse_row_stochastic_and_local(searcher):
    descriptors, offsets = random_regions()
    radius, per_frame = 1, 2
    k = per_frame * (2 * radius + 1)
    matrix = knn_transition_matrix(
        descriptors,
        offsets,
        NN_SEARCHERS.build(dict(type=searcher)),
        temporal_radius=radius,
        neighbours_per_frame=per_frame)
    assert matrix.format == 'csr' and matrix.shape == (offsets[-1], offsets[-1])
    np.testing.assert_allclose(np.asarray(matrix.sum(1)).ravel(), 1, rtol=1e-5)
    assert np.diff(matrix.indptr).max() <= k + 1
    assert (matrix.diagonal() > 0).all()  # the self-loop
    frame_of = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
    rows, cols = matrix.nonzero()
    assert np.abs(frame_of[rows] - frame_of[cols]).max() <= radius


def test_searchers_agree_with_brute_force():
    descriptors, offsets = random_regions(seed=3)
    matrices = [
        knn_transition_matrix(
            descriptors, offsets, NN_SEARCHERS.build(dict(type=s)), temporal_radius=2)
        for s in SEARCHERS
    ]
    for other in matrices[:-1]:
        assert abs(other - matrices[-1]).max() < 1e-4


def test_weights_follow_descriptor_distance():
    # two regions per frame: identical descriptors link strongly, a far one weakly
    descriptors = np.array([[0, 0], [0, 0], [0, 0], [1, 1]], np.float32)
    offsets = np.array([0, 2, 4])
    matrix = knn_transition_matrix(
        descriptors,
        offsets,
        NN_SEARCHERS.build(dict(type='BruteForceSearcher')),
        temporal_radius=1,
        neighbours_per_frame=2,
        sigma2=0.1)
    dense = matrix.toarray()
    assert dense[0, 1] > 100 * dense[0, 3]
    np.testing.assert_allclose(dense[3, 3] / dense[3, 0], 1 / np.exp(-2 / 0.1), rtol=1e-4)


def test_principal_components_keep_distances_of_low_rank_descriptors_and_the_graph():
    # descriptors on a 3-d subspace of 12 dims: 3 components keep every distance, so the same graph
    rng = np.random.default_rng(5)
    descriptors, offsets = random_regions(seed=5)
    low_rank = (descriptors[:, :3] @ rng.random((3, 12))).astype(np.float32)
    projected = principal_components(low_rank, 3)
    assert projected.shape == (len(low_rank), 3) and projected.dtype == np.float32
    full = ((low_rank[:40, None] - low_rank[None, :40])**2).sum(-1)
    reduced = ((projected[:40, None] - projected[None, :40])**2).sum(-1)
    np.testing.assert_allclose(reduced, full, atol=1e-3 * full.max())
    searcher = NN_SEARCHERS.build(dict(type='BruteForceSearcher'))
    exact = knn_transition_matrix(low_rank, offsets, searcher, temporal_radius=2)
    assert abs(knn_transition_matrix(low_rank, offsets, searcher, temporal_radius=2, n_components=3)
               - exact).max() < 1e-3
    # on full-rank descriptors one component loses neighbours
    one = knn_transition_matrix(descriptors, offsets, searcher, temporal_radius=2, n_components=1)
    assert abs(one - knn_transition_matrix(descriptors, offsets, searcher, temporal_radius=2)).max() > 0.01
    assert principal_components(descriptors, 50).shape == descriptors.shape  # more components than dims: all
