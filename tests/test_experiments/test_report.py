"""reference_gaps: whether a benchmark's rows tell representations apart, with the rule stated."""
from mmmotion.experiments.report import reference_gaps


def rows(label, frozen, values, benchmark='toy-photo-seg'):
    return [dict(benchmark=benchmark, task='seg', metric='mIoU', shots='', checkpoint=label, frozen=frozen,
                 seed=str(seed), value=str(v)) for seed, v in enumerate(values)]


def test_gaps_are_clear_only_beyond_twice_the_larger_spread():
    found = (rows('random', 'all', [60, 62, 61]) + rows('random', 'c5', [40, 41, 42])
             + rows('supervised', 'all', [63, 60, 62]) + rows('supervised', 'c5', [55, 56, 54]))
    text = reference_gaps(found)
    line = next(line for line in text.splitlines() if line.startswith('- toy-photo-seg mIoU'))
    # freezing random features costs 61 - 41 = 20 points, std 1 each: clear
    assert 'random All − random >c5 (what freezing random features costs): +20.0 (clear)' in line
    # supervised: +0.7 at All (std ~1.5: within), +14.0 at >c5 (clear)
    assert 'supervised − random: All +0.7 (within the spread), >c5 +14.0 (clear)' in line
    assert '2x the larger standard deviation' in text


def test_no_reference_no_text_and_one_seed_says_so():
    assert reference_gaps(rows('motionmask', 'c5', [50, 51])) == ''
    text = reference_gaps(rows('random', 'c5', [40]) + rows('motionmask', 'c5', [45]))
    assert 'motionmask − random: >c5 +5.0 (one seed: no spread)' in text
