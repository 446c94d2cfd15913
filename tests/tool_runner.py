"""Running the repo's tools as a user would, for tests in any folder.

A module of its own, not conftest.py: tests/test_motionmask has a conftest too, and both are imported
under the name ``conftest``, so ``from conftest import ...`` depends on which one came first.
"""
import glob
import os
import os.path as osp
import subprocess
import sys

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def run_tool(script: str, *args: str, cwd: str = REPO_ROOT, check: bool = True,
             timeout: int = 600) -> subprocess.CompletedProcess:
    """Run one of the repo's tools/ scripts in a fresh interpreter, as a user would."""
    env = dict(os.environ, PYTHONUNBUFFERED='1')
    proc = subprocess.run([sys.executable, osp.join(REPO_ROOT, script), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f'{script} {" ".join(args)} failed ({proc.returncode}):\n'
                             f'{proc.stdout[-4000:]}\n{proc.stderr[-6000:]}')
    return proc


def run_sweep(toolbox: str, checkpoint: str, label: str, config_dir: str, work_root: str, pattern: str,
              *options: str) -> dict:
    """``tools/benchmarks/<toolbox>/run_sweep.sh`` (local launcher, seed 0) on the configs of ``config_dir``
    matching ``pattern``, as a user runs it; returns {config name: its keyed work dir} for label ``label``
    (``<work_root>/<benchmark>/<label>/<config>/seed0-<hash>``)."""
    env = dict(os.environ, WORK_ROOT=work_root, PATTERN=pattern, SEEDS='0', PYTHONUNBUFFERED='1',
               PATH=osp.dirname(sys.executable) + os.pathsep + os.environ.get('PATH', ''))
    proc = subprocess.run(['bash', f'tools/benchmarks/{toolbox}/run_sweep.sh', checkpoint, label, config_dir,
                           *options], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f'run_sweep.sh failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}'
    runs = {}
    for work_dir in sorted(glob.glob(osp.join(work_root, '*', label, '*', 'seed0-*'))):
        name = osp.basename(osp.dirname(work_dir))
        assert name not in runs, f'two work dirs for {name}: {runs.get(name)} and {work_dir}'
        runs[name] = work_dir
    return runs
