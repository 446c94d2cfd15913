"""Every benchmark folder is one benchmark: each config parses, the collector can tell its task, and its
frozen setting is the one its file name says, once per folder (so a sweep over a folder is a table row)."""
import glob
import os.path as osp
import re

import pytest
from mmengine.config import Config

from tool_runner import REPO_ROOT
from mmmotion.engine.runs import benchmark_of, frozen_tag, task_of

FOLDERS = sorted(d for d in glob.glob(osp.join(REPO_ROOT, 'configs', 'benchmarks', '*', '*'))
                 if osp.isdir(d) and osp.basename(d) != '_base_')


def test_every_toolbox_has_benchmark_folders():
    toolboxes = {osp.basename(osp.dirname(d)) for d in FOLDERS}
    assert toolboxes == {'mmdetection', 'mmsegmentation', 'classification'}


@pytest.mark.parametrize('folder', FOLDERS, ids=lambda d: osp.relpath(d, osp.join(REPO_ROOT, 'configs')))
def test_folder_is_one_benchmark_with_one_config_per_setting(folder):
    settings, tasks, benchmarks = [], set(), set()
    for path in sorted(glob.glob(osp.join(folder, '*.py'))):
        cfg = Config.fromfile(path).to_dict()
        tasks.add(task_of(cfg))
        benchmarks.add(cfg.get('benchmark'))
        setting = frozen_tag(cfg)
        named = re.search(r'-(c\d|fc6-8)_', osp.basename(path))
        assert setting == (named.group(1) if named else 'all'), path
        settings.append(setting)
    assert len(tasks) == 1, tasks
    assert len(benchmarks) == 1 and None not in benchmarks, benchmarks  # one named benchmark per folder
    assert sorted(settings) == sorted(set(settings)) and {'all', 'c5'} <= set(settings)


def test_every_folder_names_its_own_benchmark():
    """Results are grouped by benchmark name: two folders with one name would be averaged together."""
    names = {}
    for folder in FOLDERS:
        first = sorted(glob.glob(osp.join(folder, '*.py')))[0]
        names.setdefault(benchmark_of(Config.fromfile(first).to_dict()), []).append(folder)
    assert all(len(folders) == 1 for folders in names.values()), names
    assert len(names) == len(FOLDERS)
