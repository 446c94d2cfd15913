"""The stage swaps of tools/unlc/compare_reference.py (mmmotion.experiments.unlc_reference) on a synthetic clip:
handing mmmotion's own intermediate outputs back in as if they were the authors' must give the same masks."""
import numpy as np

from mmmotion.experiments.unlc_reference import PairFlows, format_rows, run_stages
from mmmotion.unlc import UNLC


def test_swapping_in_the_pipelines_own_stages_changes_nothing(small_suite):
    frames = small_suite[1][1].frames[:10]  # the panning camera
    unlc = UNLC(threads=1, superpixels=dict(type='SLICSuperpixels'), descriptor=dict(support='patch'),
                motion=dict(size=100, keep_aspect=False, camera_model=None, static_power=2.0),
                voting=dict(restart=0.0), postprocess=dict(refiner=dict(type='NoRefiner'), low_threshold=None))
    labels = np.stack([unlc.superpixels(f) for f in frames])
    own, info = run_stages(unlc, frames, labels)
    assert info['motion'] and info['dominant_frames'] == 10 and sum(info['kinds'].values()) == len(info['flows'])
    descriptors = np.concatenate([unlc.descriptor(f, l) for f, l in zip(frames, labels)])
    given, given_info = run_stages(unlc, frames, labels, descriptors, info['flows'])
    np.testing.assert_array_equal(given, own)
    assert given_info['kinds'] == info['kinds']
    saliency = unlc.initial_saliency(frames, labels)
    np.testing.assert_array_equal(run_stages(unlc, frames, labels, descriptors, saliency=saliency)[0], own)


def test_pair_flows_know_frames_by_content():
    small = np.arange(3 * 4 * 4, dtype=np.uint8).reshape(3, 4, 4)
    flows = {(0, 2): np.ones((4, 4, 2)), (2, 1): np.zeros((4, 4, 2))}
    pick = PairFlows(small, flows)
    assert pick(small[0].copy(), small[2].copy()) is flows[(0, 2)]
    assert pick(small[2], small[1]) is flows[(2, 1)]


def test_table_has_one_row_per_sequence_and_a_mean():
    row = {'sequence': 'a', 'authors': 0.5, 'reference.py': 0.45, '+ frames, superpixels': 0.46,
           '+ descriptors': 0.47, '+ flows': 0.5, '+ saliency': 0.5, 'kinds': [{'static': 3}, {'pan': 2, 'none': 1}],
           'median_magnitude': [1.0, 2.0], 'dominant_frames': [3, 2], 'motion': True, 'authors_fallback': False}
    lines = format_rows([row, dict(row, sequence='b')]).splitlines()
    assert len(lines) == 5 and lines[2].startswith('| a | 0.500 | 0.450 |') and '-0.050' in lines[2]
    assert '3/0/0 vs 0/2/1' in lines[2] and lines[-1].startswith('| mean | 0.500 | 0.450')
    assert all(line.count('|') == lines[0].count('|') for line in lines[:4])
