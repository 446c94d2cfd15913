"""replace_section: generated sections of docs/benchmarks.md are replaced in place and others kept; a heading
it could not find again is refused before the file is touched."""
import pytest

from mmmotion.utils.markdown import replace_section


def test_section_is_replaced_in_place_and_the_others_stay(tmp_path):
    doc = tmp_path / 'benchmarks.md'
    doc.write_text('# Benchmarks\n\n## A\n\nold a\n\n## B\n\nb\n')
    replace_section(str(doc), '## A', '## A\n\nnew a\n\n')
    replace_section(str(doc), '## C', '## C\n\nc\n')
    assert doc.read_text() == '# Benchmarks\n\n## A\n\nnew a\n\n## B\n\nb\n\n## C\n\nc\n'


@pytest.mark.parametrize('heading', ['A', '### A', '## A\n## B'])
def test_a_heading_it_could_not_find_again_is_refused(tmp_path, heading):
    doc = tmp_path / 'benchmarks.md'
    doc.write_text('# Benchmarks\n\n## A\n\na\n')
    with pytest.raises(ValueError, match='expected one line starting with "## "'):
        replace_section(str(doc), heading, f'{heading}\n\nx\n')
    assert doc.read_text() == '# Benchmarks\n\n## A\n\na\n'
