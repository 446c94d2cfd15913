"""Old import paths of moved modules and names keep working for one release, each with a DeprecationWarning
naming the new place (mmmotion.utils.moved)."""
import subprocess
import sys

from tool_runner import REPO_ROOT

CHECK = '''
import warnings
warnings.simplefilter('error', DeprecationWarning)
import importlib
cases = [('mmmotion.datasets.proposals', 'jittered_box_proposals', 'mmmotion.testing.proposals'),
         ('mmmotion.datasets.proposals', 'save_proposals', 'mmmotion.proposals.io'),
         ('mmmotion.apis', 'make_synthetic_motionmask_data', 'mmmotion.testing.motionmask_data'),
         ('mmmotion.apis.motionmask', 'make_synthetic_motionmask_data', 'mmmotion.testing.motionmask_data'),
         ('mmmotion.apis.toy_transfer', 'run_toy_transfer', 'mmmotion.testing.toy_transfer'),
         ('mmmotion.datasets.toy_voc', 'make_toy_voc', 'mmmotion.testing.toy_voc'),
         ('mmmotion.unlc.shots', 'sample_shot', 'mmmotion.pseudo_gt.shots')]
for old, name, new in cases:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        value = getattr(importlib.import_module(old), name)
    assert value is getattr(importlib.import_module(new), name), (old, name)
    assert any(issubclass(w.category, DeprecationWarning) and new in str(w.message) for w in caught), (old, name)
import mmmotion.apis
try:
    mmmotion.apis.no_such_name
except AttributeError as error:
    assert 'no_such_name' in str(error)
else:
    raise AssertionError('an unknown name must raise AttributeError')
print('ok')
'''


def test_old_paths_import_the_moved_objects_with_a_warning():
    out = subprocess.run([sys.executable, '-c', CHECK], cwd=REPO_ROOT, capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == 'ok', out.stderr[-3000:]
