"""The generator scaling benchmark: its schedule arithmetic, and one small real run of two settings."""
import os.path as osp

import pytest
from real_data import REPO_ROOT, data_path

from mmmotion.experiments import generator_scaling as gs
from mmmotion.utils.config import load_config


def test_makespan_and_the_schedule_bound():
    assert gs.makespan([50, 40, 60, 50, 100], 2) == 200  # in list order the longest runs alone
    assert gs.makespan([100, 60, 50, 50, 40], 2) == 150  # longest first: balanced
    assert gs.makespan([3, 1], 1) == 4 and gs.makespan([], 2) == 0
    summary = dict(timing=dict(videos=[dict(wall_s=w) for w in (50, 40, 60, 50, 100)]))
    profile = gs.schedule_profile(summary)
    assert profile['speedup_in_order'] == 1.5 and profile['speedup_longest_first'] == 2.0
    assert profile['speedup_balanced'] == 2.0
    assert gs.schedule_profile(dict(timing=dict(videos=[dict(wall_s=9), dict(wall_s=1)])))['speedup_balanced'] == \
        pytest.approx(10 / 9, abs=1e-3)  # never faster than its longest video


@pytest.mark.slow
@pytest.mark.real_data('davis16_dev')
def test_a_small_run_measures_both_settings_and_the_costs(tmp_path):
    options = {'generator.image_max_side': 96, 'generator.max_shot_len': 10}
    cfg = load_config(osp.join(REPO_ROOT, 'configs', 'unlc', 'generate_dataset.py'), options)
    videos = gs.davis_videos(data_path('davis16_dev'), ['car-shadow', 'libby'])
    result = gs.measure_scaling(videos, cfg, [('none', 1, 1), ('none', 2, None)], work_dir=str(tmp_path))
    one, two = (r['summary'] for r in result['runs'])
    assert one['frames']['segmented'] == two['frames']['segmented'] == 20  # 10 sampled frames per clip
    assert len(one['timing']['workers']) == 1 and len(two['timing']['workers']) == 2
    assert one['timing']['library_threads'][0]['opencv'] == 1
    assert 0 < result['decode']['decode_s_per_frame'] and result['decode']['frames'] == 40 + 49
    assert result['pickling']['task_bytes'] < result['pickling']['result_bytes']
    text = gs.to_markdown(result, 'cmd', '## Generator scaling')
    assert text.startswith('## Generator scaling\n') and '| local x2 |' in text and '| local x1, 1 thread |' in text
