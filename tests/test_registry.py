"""register_all_modules registers every type mmmotion's configs name, in a fresh interpreter; every registry a
Runner looks up under scope ``mmmotion`` exists, so training logs no registry fallback."""
import subprocess
import sys

import pytest
from mmengine.registry import Registry
from mmengine.registry import root as mmengine_roots
from tool_runner import REPO_ROOT, run_tool

from mmmotion import registry
from mmmotion.apis.train import cli_options
from mmmotion.utils.run_options import pretraining_options

TINY = 'configs/motionmask/motionmask_alexnet-bn_1xb8-100it_tiny.py'
FALLBACK = 'Failed to search registry'

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


def test_every_mmengine_root_registry_has_its_mmmotion_child():
    roots = {name: value for name, value in vars(mmengine_roots).items() if isinstance(value, Registry)}
    assert len(roots) >= 20
    for name, root in roots.items():
        child = getattr(registry, name, None)
        assert child is not None and child.parent is root and child.scope == 'mmmotion', name
        assert root.children.get('mmmotion') is child, name


def test_unlc_registries_build_a_name_a_scoped_name_or_a_class():
    from mmmotion.unlc import DISFlow
    for type_ in ('DISFlow', 'mmmotion.DISFlow', DISFlow):
        assert isinstance(registry.OPTICAL_FLOWS.build(dict(type=type_)), DISFlow)
    with pytest.raises(KeyError, match='registered: CoarseToFineFlow, DISFlow, FarnebackFlow'):
        registry.OPTICAL_FLOWS.build(dict(type='DISflow'))


@pytest.mark.slow
@pytest.mark.e2e
def test_training_logs_no_registry_fallback(toy_motionmask_root, tmp_path):
    """2 iterations of the tiny MotionMask config through tools/train.py, then validation: no lookup under scope
    ``mmmotion`` falls back to mmengine's registry with its warning."""
    options = {**pretraining_options(TINY, iters=2, data_root=toy_motionmask_root), 'train_dataloader.batch_size': 2,
               'train_dataloader.num_workers': 0, 'train_dataloader.persistent_workers': False}
    run = run_tool('tools/train.py', TINY, '--work-dir', str(tmp_path), '--cfg-options', *cli_options(options))
    log = run.stdout + run.stderr
    assert 'mask/pseudo/mIoU' in log, log[-3000:]  # it trained and validated
    assert FALLBACK not in log, [line for line in log.splitlines() if FALLBACK in line]
