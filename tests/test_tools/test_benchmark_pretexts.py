"""tools/analysis_tools/benchmark_pretexts.py (mmmotion.experiments.pretext_speed): the equal batch it builds and the
section it writes."""
import re

import pytest

from tool_runner import REPO_ROOT


@pytest.mark.slow
def test_benchmark_times_pretexts_at_equal_backbone_inputs(toy_motionmask_root, tmp_path, monkeypatch):
    from mmmotion.experiments import pretext_speed as benchmark_pretexts
    monkeypatch.chdir(REPO_ROOT)
    doc = tmp_path / 'benchmarks.md'
    doc.write_text('# Benchmarks\n\n## MotionMask\n\nkeep\n\n## Pretext training step vs MotionMask\n\nold\n')
    rotation = 'configs/selfsup/rotationpred/rotationpred_alexnet_8xb32-80k_unlc.py'
    argv = ['--data-root', toy_motionmask_root, '--configs', rotation, '--inputs', '4', '--iters', '1',
            '--warmup', '0', '--rounds', '2', '--out', str(doc)]
    benchmark_pretexts.main(argv)
    text = doc.read_text()
    assert '## MotionMask\n\nkeep' in text and 'old' not in text
    assert '**4 backbone inputs of 227x227 px**' in text and ' '.join(argv) in text
    rows = dict(re.findall(r'^\| `(\S+)` \| (\d+ x \d+) \|', text, re.M))
    assert rows == {benchmark_pretexts.REFERENCE: '4 x 1', rotation: '1 x 4'}  # 4 images, or 1 image x 4 rotations
    ratio = re.search(r'rotationpred\S+ \| .* \| \*\*([0-9.]+)\*\* \((met|missed by \d+%)\) \|$', text, re.M)
    assert ratio and float(ratio.group(1)) > 0
    assert re.search(r'1-min load average [0-9.]+ at the start and [0-9.]+ at the end', text)
    with pytest.raises(ValueError, match='--inputs 6 is not a multiple of the 4 views per sample'):
        benchmark_pretexts.main(argv[:4] + ['--inputs', '6', '--out', ''])
