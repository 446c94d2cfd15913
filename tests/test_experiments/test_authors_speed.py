"""The same-run comparison with the authors' code: mmmotion's side on real frames, the table, and the error
for a missing set-up (the authors' side needs ../shared/refunlc set up, which CI does not do)."""
import os.path as osp

import pytest
from real_data import data_path

from mmmotion.experiments.authors_speed import main, run_mmmotion, to_markdown

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_missing_authors_setup_is_named(tmp_path, capsys):
    assert main([str(tmp_path), '--authors', str(tmp_path / 'nowhere'), '--configs', 'fast=x.py',
                 '--sequences', 'dog']) == 2
    assert 'nowhere' in capsys.readouterr().err


@pytest.mark.real_data('davis16_dev')
def test_mmmotion_side_times_the_call_and_the_whole_process_and_scores_its_masks():
    row = run_mmmotion(data_path('davis16_dev'), 'dog', osp.join(REPO_ROOT, 'configs', 'unlc', 'fast.py'), 4)
    assert 0 < row['algorithm_s'] < row['process_s']  # the process also starts Python, imports, reads, writes
    assert row['process_cpu_s'] > 0 and 0.3 < row['J'] <= 1, row


def test_table_gives_speed_ups_over_the_authors_and_means():
    rows = [dict(sequence=s, authors=dict(algorithm_s=2.0, process_s=3.0, J=0.5),
                 fast=dict(algorithm_s=a, process_s=p, J=0.6)) for s, a, p in (('a', 0.1, 0.3), ('b', 0.3, 0.3))]
    table = to_markdown(rows, ['fast'])
    assert '| a | fast | 0.100 | 0.300 | 20.0x | 10.0x | 0.600 |' in table
    assert '| mean | fast | 0.200 | 0.300 | 10.0x | 10.0x | 0.600 |' in table
    assert '| mean | authors | 2.000 | 3.000 |  |  | 0.500 |' in table
