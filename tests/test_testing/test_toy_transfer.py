"""tools/benchmarks/toy_transfer.py end to end at a tiny size: the doc section is written from the runs'
records, and a second invocation reuses the finished pretraining and runs."""
import csv
import os.path as osp
import re

import pytest

from tool_runner import run_tool

pytestmark = [pytest.mark.slow, pytest.mark.e2e]


def test_toy_transfer_doc_comes_from_the_run_records(tmp_path):
    out, doc, rows_csv = str(tmp_path / 'toy'), str(tmp_path / 'benchmarks.md'), str(tmp_path / 'rows.csv')
    args = ['--out-dir', out, '--plan', 'voc07:c5', '--seeds', '0', '--pretrain-iters', '2', '--pretrain-clips', '2',
            '--toy-images', '6', '2', '4', '--cfg-options', 'train_cfg.max_iters=2', 'train_cfg.val_interval=2',
            '--csv', rows_csv, '--doc', doc]
    first = run_tool('tools/benchmarks/toy_transfer.py', *args)
    text = open(doc).read()
    assert '(8 trainval / 4 test images' in text
    assert 'uNLC masks of 2 synthetic clips of 10 frames' in text and '2 iterations of the tiny MotionMask' in text
    assert 'Fine-tuning: 2 runs (0 reused from an earlier invocation), seeds 0' in text
    assert re.search(r'load average [\d.]+ at start and [\d.]+ at end', text)
    with open(rows_csv, newline='') as f:
        rows = {r['checkpoint']: r for r in csv.DictReader(f)}
    assert sorted(rows) == ['motionmask', 'random']
    assert {r['benchmark'] for r in rows.values()} == {'toy-voc07-cls'}
    assert rows['random']['checkpoint_sha256'] == '' and len(rows['motionmask']['checkpoint_sha256']) == 64
    assert f'commit {rows["random"]["commit"]}' in text
    for label, row in rows.items():
        assert osp.relpath(row['work_dir'], out).split(osp.sep)[:3] == ['runs', 'toy-voc07-cls', label]
        assert f'voc07 c5   {label:12s} seed 0: mAP' in first.stdout
    # again: nothing is trained, and the text says so
    second = run_tool('tools/benchmarks/toy_transfer.py', *args)
    assert second.stdout.count('reusing') == 2
    text = open(doc).read()
    assert 'Reused from an earlier pretraining' in text and '2 runs (2 reused from an earlier invocation)' in text
