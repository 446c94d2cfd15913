"""The paper's rules for which segmented frames go into the pseudo-ground-truth dataset.

Pathak et al. keep a frame only when its moving-object mask is plausible: the foreground covers
between 10% and 80% of the image and hardly touches the frame border (a mask leaking into the border
band is usually camera motion or a failed segmentation), then keep 5-10 frames per shot. On real
video a size rule favours over-segmented frames when objects are small (docs/unlc.md), so a config
can add a minimum of the label-free quality score (:mod:`.quality`) and relax the size rule.
Everything here is pure array logic on binary masks ``(n, h, w)``: no I/O.
"""
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

import numpy as np

TOO_LARGE = 'too_large'
TOO_SMALL = 'too_small'
TOUCHES_BORDER = 'touches_border'
LOW_QUALITY = 'low_quality'
NOT_SELECTED = 'not_selected'
SHOT_TOO_FEW_FRAMES = 'shot_too_few_frames'


@dataclass(frozen=True)
class FrameSelectionConfig:
    """Thresholds of the frame rules (defaults are the paper's).

    Attributes:
        max_fg: drop a frame whose foreground fraction is above this.
        min_fg: drop a frame whose foreground fraction is below this.
        border: width of the border band as a fraction of the frame height (top/bottom rows) and
            width (left/right columns).
        max_border_fg: drop a frame when more than this fraction of the band is foreground.
        min_frames: a shot with fewer passing frames is rejected as a whole.
        max_frames: at most this many passing frames are kept per shot (evenly spaced); None keeps
            them all.
        min_quality: drop a frame whose quality score (:func:`.quality.frame_quality`) is below
            this; None (the paper) does not use the score.
    """

    max_fg: float = 0.8
    min_fg: float = 0.1
    border: float = 0.05
    max_border_fg: float = 0.1
    min_frames: int = 5
    max_frames: Optional[int] = 10
    min_quality: Optional[float] = None


@dataclass
class ShotSelection:
    """The verdict on the frames of one shot.

    Attributes:
        kept: indices (into the shot's masks) of the frames kept, increasing.
        reasons: per frame, ``None`` when kept, otherwise why it was dropped.
        shot_reason: ``None`` when the shot keeps frames, otherwise why it was rejected.
        fg_fraction: per-frame foreground fraction.
        border_fg_fraction: per-frame foreground fraction of the border band.
    """

    kept: List[int]
    reasons: List[Optional[str]]
    shot_reason: Optional[str]
    fg_fraction: np.ndarray = field(repr=False)
    border_fg_fraction: np.ndarray = field(repr=False)


DEFAULT_CFG = FrameSelectionConfig()


def _as_masks(masks: np.ndarray) -> np.ndarray:
    masks = np.asarray(masks)
    if masks.ndim == 2:
        masks = masks[None]
    if masks.ndim != 3:
        raise ValueError(f'masks must be (n, h, w), got shape {masks.shape}')
    return masks.astype(bool, copy=False)


def border_band(height: int, width: int, border: float = 0.05) -> np.ndarray:
    """Boolean ``(h, w)`` map of the pixels within ``border`` of the frame edge (at least 1 px)."""
    bh = min(height, max(1, int(round(border * height))))
    bw = min(width, max(1, int(round(border * width))))
    band = np.zeros((height, width), dtype=bool)
    band[:bh] = band[height - bh:] = True
    band[:, :bw] = band[:, width - bw:] = True
    return band


def foreground_fraction(masks: np.ndarray) -> np.ndarray:
    """Per-frame fraction of foreground pixels of binary masks ``(n, h, w)``."""
    masks = _as_masks(masks)
    return masks.reshape(len(masks), -1).mean(axis=1)


def border_foreground_fraction(masks: np.ndarray, border: float = 0.05) -> np.ndarray:
    """Per-frame fraction of the border band (see :func:`border_band`) that is foreground."""
    masks = _as_masks(masks)
    band = border_band(masks.shape[1], masks.shape[2], border)
    return masks[:, band].mean(axis=1)


def frame_rejection_reasons(
        masks: np.ndarray,
        cfg: FrameSelectionConfig = DEFAULT_CFG,
        quality: Optional[np.ndarray] = None,
) -> Tuple[List[Optional[str]], np.ndarray, np.ndarray]:
    """Apply the per-frame rules; returns (first failing rule or ``None`` per frame, fg, border fg).

    Boundaries are kept: a frame exactly at ``max_fg``, ``min_fg``, ``max_border_fg`` or
    ``min_quality`` passes. ``quality`` (n,) is needed when ``cfg.min_quality`` is set.
    """
    fg = foreground_fraction(masks)
    border_fg = border_foreground_fraction(masks, cfg.border)
    if cfg.min_quality is not None and (quality is None or len(quality) != len(fg)):
        raise ValueError(f'frame selection with min_quality={cfg.min_quality} needs one quality score '
                         f'per frame ({len(fg)}), got {None if quality is None else len(quality)}')
    reasons: List[Optional[str]] = []
    for i, (f, b) in enumerate(zip(fg, border_fg)):
        if f > cfg.max_fg:
            reasons.append(TOO_LARGE)
        elif f < cfg.min_fg:
            reasons.append(TOO_SMALL)
        elif b > cfg.max_border_fg:
            reasons.append(TOUCHES_BORDER)
        elif cfg.min_quality is not None and quality[i] < cfg.min_quality:
            reasons.append(LOW_QUALITY)
        else:
            reasons.append(None)
    return reasons, fg, border_fg


def evenly_spaced(n: int, k: int) -> List[int]:
    """``min(n, k)`` distinct indices of ``range(n)`` spread evenly, first and last included."""
    if n <= 0 or k <= 0:
        return []
    if k >= n:
        return list(range(n))
    if k == 1:
        return [(n - 1) // 2]
    return [int(i) for i in np.round(np.linspace(0, n - 1, k)).astype(int)]


def select_frames(masks: np.ndarray, cfg: FrameSelectionConfig = DEFAULT_CFG,
                  quality: Optional[np.ndarray] = None) -> ShotSelection:
    """Choose the frames of one shot for the dataset (deterministic).

    Frames failing a rule are dropped with its name; if fewer than ``min_frames`` pass, the shot is
    rejected (``shot_too_few_frames``) and all its frames are dropped; otherwise up to
    ``max_frames`` passing frames are kept, evenly spaced, the others marked ``not_selected``.
    ``quality`` (n,) holds the frames' quality scores, needed when ``cfg.min_quality`` is set.
    """
    reasons, fg, border_fg = frame_rejection_reasons(masks, cfg, quality)
    passing = [i for i, r in enumerate(reasons) if r is None]
    if len(passing) < cfg.min_frames:
        reasons = [SHOT_TOO_FEW_FRAMES if r is None else r for r in reasons]
        return ShotSelection([], reasons, SHOT_TOO_FEW_FRAMES, fg, border_fg)
    limit = len(passing) if cfg.max_frames is None else cfg.max_frames
    kept = [passing[j] for j in evenly_spaced(len(passing), limit)]
    kept_set = set(kept)
    reasons = [
        NOT_SELECTED if (r is None and i not in kept_set) else r for i, r in enumerate(reasons)
    ]
    return ShotSelection(kept, reasons, None, fg, border_fg)
