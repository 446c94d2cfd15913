"""Scoring flows by the motion evidence they give uNLC."""
import os.path as osp

import numpy as np
import pytest
from real_data import data_path

from mmmotion.experiments.flow_saliency import main, parse_flow, roc_auc


def test_roc_auc_ranks_and_ties():
    positive = np.array([0, 0, 1, 1], bool)
    assert roc_auc(np.array([0.1, 0.2, 0.8, 0.9]), positive) == 1.0
    assert roc_auc(np.array([0.9, 0.8, 0.2, 0.1]), positive) == 0.0
    assert roc_auc(np.ones(4), positive) == 0.5  # ties count half
    assert np.isnan(roc_auc(np.ones(4), np.zeros(4, bool)))


def test_flow_spec_is_a_type_with_literal_keywords():
    assert parse_flow('DISFlow,finest_scale=0,preset=\'fast\'') == dict(type='DISFlow', finest_scale=0, preset='fast')
    assert parse_flow('CoarseToFineFlow') == dict(type='CoarseToFineFlow')


@pytest.mark.real_data('davis16_dev')
def test_real_motion_finds_the_dog(tmp_path, capsys):
    out = tmp_path / 'table.md'
    assert main([data_path('davis16_dev'), '--frames', '5', '--sequences', 'dog', '--flows',
                 'dis=DISFlow,finest_scale=0', '--markdown', str(out)]) == 0
    row = [line for line in out.read_text().splitlines() if line.startswith('| dis |')][0]
    auc = float(row.strip('|').split('|')[-1])
    assert auc > 0.7, row  # the dog moves against a tracked background: far better than chance
    assert main([data_path('davis16_dev'), '--sequences', 'nowhere', '--flows', 'x=DISFlow']) == 2
    assert osp.join('480p', 'nowhere') in capsys.readouterr().err
