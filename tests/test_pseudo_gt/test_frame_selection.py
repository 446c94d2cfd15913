"""The paper's frame rules on constructed masks, each rule at and across its boundary."""
import numpy as np
import pytest

from mmmotion.pseudo_gt.frame_selection import (FrameSelectionConfig, border_band, border_foreground_fraction,
                                                evenly_spaced, foreground_fraction, frame_rejection_reasons,
                                                select_frames)

H, W = 100, 100  # 10000 pixels: a pixel is 0.01% of the frame


def centred(n_pixels: int) -> np.ndarray:
    """A mask with exactly ``n_pixels`` foreground pixels, all away from the border band."""
    m = np.zeros((H, W), bool)
    inner = np.zeros((H - 20, W - 20), bool).ravel()
    inner[:n_pixels] = True
    m[10:H - 10, 10:W - 10] = inner.reshape(H - 20, W - 20)
    return m


def test_foreground_fraction_and_band():
    assert foreground_fraction(centred(1234)[None]).tolist() == [0.1234]
    band = border_band(H, W, 0.05)
    assert band.sum() == H * W - (H - 10) * (W - 10)  # 5 px on each side
    assert not band[5:-5, 5:-5].any()
    # a 1-px band at least, even for a tiny frame
    assert border_band(8, 8, 0.05).sum() == 8 * 8 - 6 * 6


@pytest.mark.parametrize(
    'n_pixels, reason',
    [
        (1000, None),  # exactly 10%: kept (the rule is "< 10%")
        (999, 'too_small'),
        (0, 'too_small'),
        (6400, None),  # the whole inner 80x80 = 64%
    ])
def test_min_foreground(n_pixels, reason):
    reasons, fg, _ = frame_rejection_reasons(centred(n_pixels)[None])
    assert reasons == [reason]
    assert fg[0] == pytest.approx(n_pixels / (H * W))


def test_max_foreground_boundary():
    # 80% of the frame while staying off the band is impossible; relax the border rule.
    cfg = FrameSelectionConfig(max_border_fg=1.0)
    at = np.zeros((H, W), bool)
    at.ravel()[:8000] = True
    above = at.copy()
    above.ravel()[8000] = True
    reasons, fg, _ = frame_rejection_reasons(np.stack([at, above]), cfg)
    assert fg.tolist() == [0.8, 0.8001]
    assert reasons == [None, 'too_large']


def test_border_rule_boundary():
    band = border_band(H, W, 0.05)
    n_band = int(band.sum())  # 1900
    base = centred(2000)
    idx = np.flatnonzero(band)
    at = base.copy()
    at.ravel()[idx[:n_band // 10]] = True  # exactly 10% of the band
    above = base.copy()
    above.ravel()[idx[:n_band // 10 + 1]] = True
    reasons, _, border_fg = frame_rejection_reasons(np.stack([base, at, above]))
    assert border_fg.tolist() == [0.0, 0.1, pytest.approx((n_band // 10 + 1) / n_band)]
    assert reasons == [None, None, 'touches_border']
    assert border_foreground_fraction(above[None], 0.05)[0] > 0.1


def test_rules_configurable():
    m = centred(500)[None]  # 5%
    assert frame_rejection_reasons(m)[0] == ['too_small']
    assert frame_rejection_reasons(m, FrameSelectionConfig(min_fg=0.05))[0] == [None]


def test_evenly_spaced():
    assert evenly_spaced(20, 10) == [0, 2, 4, 6, 8, 11, 13, 15, 17, 19]
    assert evenly_spaced(7, 10) == list(range(7))
    assert evenly_spaced(5, 1) == [2]
    assert evenly_spaced(0, 3) == []
    for n in range(1, 60):
        for k in range(1, 15):
            idx = evenly_spaced(n, k)
            assert len(idx) == min(n, k) and len(set(idx)) == len(idx) and idx == sorted(idx)


def test_select_frames_keeps_at_most_max_evenly():
    good, small = centred(2000), centred(100)
    masks = np.stack([good] * 25 + [small] * 5)
    sel = select_frames(masks)
    assert sel.shot_reason is None
    assert sel.kept == evenly_spaced(25, 10)
    assert [sel.reasons[i] for i in sel.kept] == [None] * 10
    assert sel.reasons[25:] == ['too_small'] * 5
    assert sum(r == 'not_selected' for r in sel.reasons) == 15
    assert select_frames(masks).kept == sel.kept  # deterministic


def test_select_frames_min_per_shot_boundary():
    good, big = centred(2000), np.ones((H, W), bool)
    five = select_frames(np.stack([good] * 5 + [big] * 10))
    assert five.shot_reason is None and five.kept == [0, 1, 2, 3, 4]
    assert five.reasons[5:] == ['too_large'] * 10
    four = select_frames(np.stack([good] * 4 + [big] * 10))
    assert four.shot_reason == 'shot_too_few_frames' and four.kept == []
    assert four.reasons[:4] == ['shot_too_few_frames'] * 4
    assert four.reasons[4:] == ['too_large'] * 10


def test_bad_shape():
    with pytest.raises(ValueError):
        select_frames(np.zeros((2, 3, 4, 5), bool))


def test_quality_rule_at_its_boundary_and_without_a_cap():
    masks = np.stack([centred(2000)] * 8)
    quality = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])
    cfg = FrameSelectionConfig(min_quality=0.3, min_frames=1, max_frames=None)
    sel = select_frames(masks, cfg, quality)
    assert sel.kept == [2, 3, 4, 5, 6, 7]  # 0.3 itself passes
    assert sel.reasons[:2] == ['low_quality'] * 2
    # the size and border rules come first
    masks[7] = np.ones((H, W), bool)
    assert select_frames(masks, cfg, quality).reasons[7] == 'too_large'


def test_quality_rule_needs_one_score_per_frame():
    masks = np.stack([centred(2000)] * 3)
    with pytest.raises(ValueError, match='one quality score per frame'):
        select_frames(masks, FrameSelectionConfig(min_quality=0.1))
    with pytest.raises(ValueError, match=r'\(3\), got 2'):
        select_frames(masks, FrameSelectionConfig(min_quality=0.1), np.ones(2))
    # without the rule the scores are not needed, and do not change the paper's selection
    assert select_frames(masks, FrameSelectionConfig(min_frames=1), np.zeros(3)).kept == [0, 1, 2]


def test_paper_config_selects_with_the_paper_rules():
    """configs/unlc/generate_dataset_paper.py is the faithful run: the paper's thresholds, no quality rule."""
    import os.path as osp

    from mmmotion.pseudo_gt.generate import load_config
    root = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    cfg = load_config(osp.join(root, 'configs', 'unlc', 'generate_dataset_paper.py'))
    paper = FrameSelectionConfig(**cfg['generator']['frame_selection'])
    assert paper == FrameSelectionConfig()
    masks = np.stack([centred(2000)] * 25 + [centred(100)] * 5)
    assert select_frames(masks, paper).kept == evenly_spaced(25, 10)
