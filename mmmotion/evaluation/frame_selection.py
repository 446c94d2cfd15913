"""Does frame selection keep the good masks? Per-frame scores of a generator run and the precision–yield curve.

The generator records, for every segmented frame, its quality terms and whether it was kept; the
masks themselves come from the segmenter. Against ground truth (DAVIS masks: J; VOT boxes: share of
the mask inside the target's box, box IoU, hit) each frame gets a score, and sweeping the
``min_quality`` of the frame rules over the recorded scores gives J of the kept frames against the
share of frames kept: the precision–yield curve of a selection rule.
"""
from dataclasses import replace
from typing import Dict, List, Sequence

import numpy as np

from mmmotion.pseudo_gt.frame_selection import FrameSelectionConfig, select_frames


def shot_rows(record: dict, masks: Sequence[np.ndarray]) -> List[dict]:
    """One row per segmented frame of a video's generator record: ``video``, ``shot``, ``frame``,
    ``kept``, ``reason``, ``fg``, ``border_fg`` and the quality terms (``q_score`` ...), plus ``mask``
    (h, w) bool from ``masks``, the binary masks of the record's segmented shots in order (one (n, h, w)
    array each)."""
    shots = [s for s in record['shots'] if s.get('frames')]
    if len(shots) != len(masks):
        raise RuntimeError(f'{record["video_id"]}: {len(shots)} segmented shots in the record, '
                           f'{len(masks)} masks given')
    rows = []
    for shot_index, (shot, binary) in enumerate(zip(shots, masks)):
        for frame, mask in zip(shot['frames'], binary):
            rows.append(dict(video=record['video_id'], shot=shot_index, frame=frame['frame'],
                             kept=bool(frame['kept'] and shot['status'] == 'ok'), reason=frame['reason'],
                             fg=frame['fg'], border_fg=frame['border_fg'],
                             **{f'q_{k}': v for k, v in frame['quality'].items()},
                             mask=mask))
    return rows


def reselect(rows: Sequence[dict], cfg: FrameSelectionConfig) -> np.ndarray:
    """Which of ``rows`` (from :func:`shot_rows`, any number of videos) the frame rules ``cfg`` keep,
    shot by shot, with the recorded quality scores. Returns (len(rows),) bool."""
    kept = np.zeros(len(rows), bool)
    groups: Dict[tuple, List[int]] = {}
    for i, row in enumerate(rows):
        groups.setdefault((row['video'], row['shot']), []).append(i)
    for indices in groups.values():
        masks = np.stack([rows[i]['mask'] for i in indices])
        quality = np.array([rows[i]['q_score'] for i in indices])
        kept[[indices[k] for k in select_frames(masks, cfg, quality).kept]] = True
    return kept


def precision_yield(rows: Sequence[dict], values: np.ndarray, cfg: FrameSelectionConfig,
                    thresholds: Sequence[float]) -> List[dict]:
    """Mean ``values`` (e.g. J or box hits, one per row) of the kept frames and the share of frames
    kept, for ``cfg`` with each ``min_quality`` in ``thresholds``. NaN values (an absent target)
    count for the share, not for the mean."""
    values = np.asarray(values, np.float64)
    curve = []
    for threshold in thresholds:
        kept = reselect(rows, replace(cfg, min_quality=float(threshold)))
        scored = kept & np.isfinite(values)
        curve.append(dict(min_quality=float(threshold), kept=int(kept.sum()), share=float(kept.mean()),
                          value=float(values[scored].mean()) if scored.any() else float('nan')))
    return curve
