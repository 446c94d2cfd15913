"""Where tests find the real data (DAVIS dev, VOT dev, COCO128) and what they do without it.

The data is not part of the project (docs/data.md says where each set comes from and the layout the tools
expect). Tests that read it carry ``@pytest.mark.real_data('davis16_dev', ...)``; the root is
``$MMMOTION_DATA`` or ``../shared/data`` beside the repository. When a named set is absent the test is
skipped with a reason that names it, unless ``MMMOTION_REQUIRE_REAL_DATA=1`` (set by ``.ci/run``), where
absence fails the test. A module of its own, not conftest.py (see tool_runner.py for why).
"""
import os
import os.path as osp

import pytest

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
DATA_ROOT = os.environ.get('MMMOTION_DATA', osp.join(REPO_ROOT, '..', 'shared', 'data'))
WHAT = dict(davis16_dev='DAVIS 2016 dev sequences', vot_dev='VOT tracking sequences', coco128='COCO128 images and '
            'instances')


def data_path(name: str) -> str:
    """The folder of the real data set ``name`` (it may not exist)."""
    return osp.normpath(osp.join(DATA_ROOT, name))


def require(name: str) -> str:
    """The folder of ``name``; skips the calling test when it is absent (fails it under
    ``MMMOTION_REQUIRE_REAL_DATA=1``)."""
    path = data_path(name)
    if osp.isdir(path):
        return path
    message = (f'needs {WHAT.get(name, name)} at {path} (not found): set MMMOTION_DATA to a folder holding '
               f'{name}/, laid out as docs/data.md says')
    if os.environ.get('MMMOTION_REQUIRE_REAL_DATA') == '1':
        pytest.fail(message + ' (MMMOTION_REQUIRE_REAL_DATA=1: real data is required here)')
    pytest.skip(message)
