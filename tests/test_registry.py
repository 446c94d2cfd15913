"""register_all_modules registers every type mmmotion's configs name, in a fresh interpreter."""
import subprocess
import sys

from tool_runner import REPO_ROOT

CHECK = '''
from mmmotion.utils import register_all_modules
register_all_modules()
from mmmotion import registry
expected = {
    'DATASETS': ['Stanford40', 'MotionMaskDataset', 'KShotDataset', 'CocoSupervisedMaskDataset'],
    'SHOT_DETECTORS': ['PySceneDetectShots', 'SingleShot'],
    'MODELS': ['AlexNet', 'MotionMask'],
    'HOOKS': ['WeightsOnlyCheckpointHook'],
    'OPTICAL_FLOWS': ['CoarseToFineFlow', 'FarnebackFlow', 'DISFlow'],
    'MASK_REFINERS': ['GrabCutRefiner', 'DenseCRFRefiner', 'NoRefiner'],
}
missing = [f'{r}.{n}' for r, names in expected.items() for n in names if getattr(registry, r).get(n) is None]
print('missing:', missing)
'''


def test_register_all_modules_registers_every_configurable_type():
    out = subprocess.run([sys.executable, '-c', CHECK], cwd=REPO_ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip().splitlines()[-1] == 'missing: []'
