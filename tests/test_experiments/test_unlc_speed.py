"""mmmotion.experiments.unlc_speed: speed (wall and CPU, per stage) and J of several uNLC configs in one run."""
import os.path as osp
import re

import pytest
from real_data import REPO_ROOT, require

from mmmotion.experiments.unlc_speed import hours_for, run_benchmark

pytestmark = pytest.mark.real_data('davis16_dev')


def test_hours_for_the_paper_scale():
    # 40M frames at 0.14 core-s a frame on 64 cores: 40e6 * 0.14 / 64 s
    assert hours_for(40e6, 0.14, 64) == pytest.approx(40e6 * 0.14 / 64 / 3600)
    assert hours_for(40e6, 0.14, 64) == pytest.approx(24.3, abs=0.1)


def test_one_run_reports_speed_and_quality_of_each_config(tmp_path):
    root = require('davis16_dev')
    doc = tmp_path / 'benchmarks.md'
    doc.write_text('# Benchmarks\n\n## Other\n\nkeep\n')
    heading = '## uNLC speed: tiny'
    section = run_benchmark(dict(default=None, fast=osp.join(REPO_ROOT, 'configs', 'unlc', 'fast.py')),
                            osp.join(root, 'JPEGImages', '480p', 'dog'), n_frames=3, davis_root=root,
                            folds=dict(A=['dog'], B=['cows']), max_frames=3, command='CMD', output=str(doc),
                            heading=heading)
    text = doc.read_text()
    assert '## Other\n\nkeep' in text and text.count(heading) == 1 and section in text
    assert re.search(r'1-min load average [0-9.]+ at the start and [0-9.]+ at the end', section)
    assert 'Command: `CMD`' in section
    for label in ('default', 'fast'):
        # threads, clip s/frame and core-s/frame, dev s/frame and core-s/frame, J of fold A, B and all
        row = re.search(rf'^\| {label} \| (\d+) \|' + r' ([0-9.]+) \|' * 7 + '$', section, re.M)
        assert row, section
        assert all(float(v) > 0 for v in row.groups()[1:5])
        assert 0 <= float(row.group(8)) <= 1
    assert re.search(r'^\| superpixels \| [0-9.]+ / [0-9.]+ \| [0-9.]+ / [0-9.]+ \|$', section, re.M)
    assert re.search(r'^\| default \| [0-9.]+ \| [0-9.]+ \|$', section, re.M)  # J per dev clip (cows, dog)
    assert re.search(r'^\| fast \| \d+ h \| \d+ h \| \d+ h \|$', section, re.M)  # hours for 40M frames
