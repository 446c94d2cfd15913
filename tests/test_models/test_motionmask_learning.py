"""Learning, not just running: MotionMask trained on uNLC masks of synthetic clips must segment
held-out clips better than every mask a model that learned nothing could output."""
import numpy as np
import pytest
import torch

from mmmotion.apis.motionmask import pretrain_motionmask
from mmmotion.testing import make_synthetic_motionmask_data

pytestmark = pytest.mark.slow  # trains MotionMask for 100 iterations

MARGIN = 0.05


def test_motionmask_learns_to_segment_held_out_clips(tmp_path):
    # 20 clips of 10 frames, 160x120, one textured object each; uNLC keeps 5-10 frames of most
    data = make_synthetic_motionmask_data(str(tmp_path / 'synthetic'), n_clips=20, n_frames=10,
                                          height=120, width=160, seed=0)
    assert data['num_images'] >= 80, data
    # the tiny config as it is: 100 iterations of 8 crops; validation on the held-out videos
    # (a quarter of them) against the uNLC masks and the clips' true masks
    result = pretrain_motionmask(data['data_root'], str(tmp_path / 'work'))

    history = torch.load(result['checkpoint'], map_location='cpu',
                         weights_only=True)['message_hub']['log_scalars']['train/loss']['log_history']
    first, last = np.mean(history[:5]), np.mean(history[-5:])
    assert last < 0.5 * first, (first, last)

    metrics = result['metrics']
    print(f'loss {first:.1f} -> {last:.1f};', ', '.join(f'{k}={v:.3f}' for k, v in metrics.items()))
    for kind in ('pseudo', 'true'):  # against the uNLC targets and against the clips' exact masks
        learned = metrics[f'mask/{kind}/mIoU']
        baselines = {name: metrics[f'mask/{kind}/{name}_mIoU']
                     for name in ('all_fg', 'all_bg', 'centred_box')}
        assert learned > max(baselines.values()) + MARGIN, (kind, learned, baselines)
    # the exported backbone is complete
    assert result['export']['missing_keys'] == [] and result['export']['unexpected_keys'] == []
