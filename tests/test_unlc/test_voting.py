import numpy as np
from scipy import sparse

from mmmotion.unlc.voting import (consensus_voting, frame_offsets_of, normalise_per_frame,
                                  project_to_pixels, region_means)


def test_normalise_per_frame_sets_each_frame_max_to_one():
    offsets = np.array([0, 3, 5, 8])
    votes = np.array([1, 2, 4, 0, 0, 0.5, 0.25, 0.1], np.float32)
    out = normalise_per_frame(votes, offsets)
    np.testing.assert_allclose(out, [0.25, 0.5, 1, 0, 0, 1, 0.5, 0.2])


def test_consensus_voting_propagates_along_the_graph_and_stays_normalised():
    # frame 0: regions 0, 1; frame 1: regions 2, 3. Region 1 only listens to region 2, which votes.
    weights = np.array([[1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 1, 0], [0, 0, 0, 1]], np.float32)
    transition = sparse.csr_matrix(weights)
    offsets = np.array([0, 2, 4])
    votes = consensus_voting(transition, np.array([0.2, 0, 1, 0.1], np.float32), offsets, 5)
    assert votes[1] == 1.0 and votes[2] == 1.0
    assert votes[0] < 1 and votes[3] < 1
    for start, stop in zip(offsets[:-1], offsets[1:]):
        assert votes[start:stop].max() == 1.0


def test_region_means_and_projection_round_trip():
    labels = np.array([[[0, 0, 1], [2, 2, 1]], [[0, 1, 1], [0, 1, 1]]])
    offsets = frame_offsets_of(labels)
    np.testing.assert_array_equal(offsets, [0, 3, 5])
    values = np.array([[[1, 3, 5], [0, 2, 7]], [[4, 1, 1], [4, 1, 1]]], np.float32)
    means = region_means(values, labels, offsets)
    np.testing.assert_allclose(means, [2, 6, 1, 4, 1])
    projected = project_to_pixels(means, labels, offsets)
    np.testing.assert_allclose(projected[1], values[1])
    np.testing.assert_allclose(projected[0], [[2, 2, 6], [1, 1, 6]])


def test_restart_keeps_the_evidence_that_plain_voting_washes_out():
    # frame 0: regions 0, 1; region 1 carries the evidence, but everyone listens to region 0
    weights = np.array([[1, 0], [1, 0]], np.float32)
    transition = sparse.csr_matrix(weights)
    offsets = np.array([0, 2])
    prior = np.array([0.1, 1.0], np.float32)
    plain = consensus_voting(transition, prior, offsets, 20)
    anchored = consensus_voting(transition, prior, offsets, 20, restart=0.5, prior=prior)
    np.testing.assert_allclose(plain, [1, 1])  # the evidence on region 1 is gone
    assert anchored[1] == 1.0 and anchored[0] < 1.0
