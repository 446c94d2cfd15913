"""Nearest-neighbour graph of regions and its sparse transition matrix (uNLC step 4).

Each region links to its ``L * (2F + 1)`` nearest regions (L2 on descriptors) among the regions of
the frames within ``+-F`` of its own, with weight ``exp(-d^2 / sigma2)`` and a self-loop of 1;
rows are normalised. The matrix is CSR with at most ``k + 1`` entries a row, so memory is linear in
the number of frames (the reference's dense ``k x k`` matrix is quadratic).
"""
from typing import Optional, Tuple

import numpy as np
from scipy import sparse
from scipy.spatial import cKDTree

from mmmotion.registry import NN_SEARCHERS


@NN_SEARCHERS.register_module()
class FaissSearcher:
    """Exact k-NN with faiss (``IndexFlatL2``): ``(database (m, d), queries (q, d), k) ->
    (squared distances (q, k), indices (q, k))``, nearest first."""

    def __call__(self, database: np.ndarray, queries: np.ndarray,
                 k: int) -> Tuple[np.ndarray, np.ndarray]:
        import faiss
        index = faiss.IndexFlatL2(database.shape[1])
        index.add(np.ascontiguousarray(database, dtype=np.float32))
        dist2, idx = index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
        return np.maximum(dist2, 0), idx.astype(np.int64)


@NN_SEARCHERS.register_module()
class KDTreeSearcher:
    """Exact k-NN with SciPy's ``cKDTree``; same interface as :class:`FaissSearcher`."""

    def __init__(self, leafsize: int = 16):
        self.leafsize = leafsize

    def __call__(self, database: np.ndarray, queries: np.ndarray,
                 k: int) -> Tuple[np.ndarray, np.ndarray]:
        tree = cKDTree(database, leafsize=self.leafsize)
        dist, idx = tree.query(queries, k=k)
        dist, idx = dist.reshape(len(queries), k), idx.reshape(len(queries), k)
        return (dist**2).astype(np.float32), idx.astype(np.int64)


@NN_SEARCHERS.register_module()
class BruteForceSearcher:
    """Exact k-NN by a NumPy distance matrix, queried in chunks to bound memory; same interface
    as :class:`FaissSearcher`."""

    def __init__(self, chunk_size: int = 1024):
        self.chunk_size = chunk_size

    def __call__(self, database: np.ndarray, queries: np.ndarray,
                 k: int) -> Tuple[np.ndarray, np.ndarray]:
        database = database.astype(np.float32, copy=False)
        db_norms = (database**2).sum(1)
        all_dist2, all_idx = [], []
        for start in range(0, len(queries), self.chunk_size):
            chunk = queries[start:start + self.chunk_size].astype(np.float32, copy=False)
            dist2 = (chunk**2).sum(1)[:, None] + db_norms[None] - 2 * chunk @ database.T
            idx = np.argpartition(dist2, k - 1, axis=1)[:, :k] if k < len(database) else \
                np.broadcast_to(np.arange(len(database)), dist2.shape)
            part = np.take_along_axis(dist2, idx, 1)
            order = np.argsort(part, axis=1, kind='stable')
            all_dist2.append(np.maximum(np.take_along_axis(part, order, 1), 0))
            all_idx.append(np.take_along_axis(idx, order, 1))
        return np.concatenate(all_dist2), np.concatenate(all_idx).astype(np.int64)


def principal_components(descriptors: np.ndarray, n_components: int) -> np.ndarray:
    """The descriptors' coordinates on their first ``n_components`` principal axes (PCA over the rows given,
    from the eigenvectors of their scatter matrix): L2 distances between the rows stay close to the full
    ones when the dropped axes hold little of the variance, and a k-NN search costs ``n_components / d`` of
    the full one. (r, d) float -> (r, min(n_components, d)) float32."""
    descriptors = np.asarray(descriptors, np.float32)
    if n_components >= descriptors.shape[1]:
        return descriptors
    centred = descriptors - descriptors.mean(0)
    _, axes = np.linalg.eigh(centred.T.astype(np.float64) @ centred)  # ascending eigenvalues
    return np.ascontiguousarray(centred @ axes[:, ::-1][:, :n_components].astype(np.float32))


def knn_transition_matrix(descriptors: np.ndarray,
                          frame_offsets: np.ndarray,
                          searcher,
                          temporal_radius: int = 15,
                          neighbours_per_frame: int = 2,
                          sigma2: float = 0.1,
                          n_components: Optional[int] = None) -> sparse.csr_matrix:
    """Row-stochastic sparse transition matrix of the regions of a shot.

    Args:
        descriptors: (n_regions, d) float32, regions of frame ``i`` in rows
            ``frame_offsets[i]:frame_offsets[i + 1]``.
        frame_offsets: (n_frames + 1,) int, increasing, from 0 to n_regions.
        searcher: ``(database, queries, k) -> (squared distances, indices)``, e.g. an
            NN_SEARCHERS module.
        temporal_radius: F, frames searched on each side.
        neighbours_per_frame: L, neighbours per searched frame; a region gets ``L * (2F + 1)``
            neighbours, itself included (as in the reference).
        sigma2: the Gaussian weight's scale, ``exp(-d^2 / sigma2)``.
        n_components: search (and weigh) on the shot's first principal components instead of the full
            descriptors (:func:`principal_components`); None keeps them all.

    Returns:
        (n_regions, n_regions) float32 CSR; every row sums to 1, at most ``k + 1`` entries a row.
    """
    if n_components is not None:
        descriptors = principal_components(descriptors, n_components)
    n_regions = len(descriptors)
    n_frames = len(frame_offsets) - 1
    k_total = neighbours_per_frame * (2 * temporal_radius + 1)
    rows, cols, weights = [], [], []
    for i in range(n_frames):
        db_start = frame_offsets[max(0, i - temporal_radius)]
        db_end = frame_offsets[min(n_frames, i + temporal_radius + 1)]
        q_start, q_end = frame_offsets[i], frame_offsets[i + 1]
        k = int(min(k_total, db_end - db_start))
        dist2, idx = searcher(descriptors[db_start:db_end], descriptors[q_start:q_end], k)
        idx = idx + db_start
        query_ids = np.arange(q_start, q_end)[:, None]
        valid = (idx != query_ids) & (idx >= db_start)  # faiss pads missing hits with -1
        rows.append(np.broadcast_to(query_ids, idx.shape)[valid])
        cols.append(idx[valid])
        weights.append(np.exp(-dist2[valid] / sigma2).astype(np.float32))
    diagonal = np.arange(n_regions)
    rows = np.concatenate(rows + [diagonal])
    cols = np.concatenate(cols + [diagonal])
    weights = np.concatenate(weights + [np.ones(n_regions, np.float32)])
    matrix = sparse.csr_matrix((weights, (rows, cols)), shape=(n_regions, n_regions))
    row_sums = np.asarray(matrix.sum(1)).ravel()
    return (sparse.diags(1.0 / row_sums) @ matrix).astype(np.float32).tocsr()
