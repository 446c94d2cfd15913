"""tools/analysis_tools/benchmark_unlc.py writes its section from the run: command, conditions, timings."""
import re

import pytest

from tool_runner import run_tool

pytestmark = [pytest.mark.slow, pytest.mark.e2e]


def test_benchmark_unlc_section_states_measured_conditions(tmp_path):
    doc = tmp_path / 'benchmarks.md'
    doc.write_text('# Benchmarks\n\n## Other\n\nkeep\n')
    run_tool('tools/analysis_tools/benchmark_unlc.py', '--frames', '3', '--repeat', '1', '--height', '60',
             '--width', '80', '--output', str(doc), '--section', 'uNLC speed: tiny', '--cfg-options', 'max_side=48')
    text = doc.read_text()
    assert '## Other\n\nkeep' in text and text.count('## uNLC speed: tiny') == 1
    from mmmotion.engine.runs import code_version
    assert re.search(r'1-min load average [0-9.]+ at the start and [0-9.]+ at the end', text)
    assert f'commit {code_version()}' in text
    assert ("`python tools/analysis_tools/benchmark_unlc.py --frames 3 --repeat 1 --height 60 --width 80 --output "
            f"{doc} --section 'uNLC speed: tiny' --cfg-options max_side=48`") in text
    assert 'config: `configs/unlc/default.py` (max side 48,' in text  # the option reached the worker's UNLC
    assert re.search(r'\| 3 \| [0-9.]+ \| [0-9.]+ \|', text)  # the 3-frame row: total and per-frame seconds
