"""Running the repo's tools as a user would, for tests in any folder.

A module of its own, not conftest.py: tests/test_unlc has a conftest too, and both are imported under the
name ``conftest``, so ``from conftest import ...`` would depend on which one came first.
"""
import glob
import os
import os.path as osp
import subprocess
import sys
import tempfile
import time
from typing import Optional, Sequence

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
STALL_TIMEOUT = 300  # seconds without any sign of progress before a child is called stuck


def progress(paths: Sequence[str]) -> tuple:
    """What a child has produced so far: for each path, its size (a file) or its file count and newest
    change (a folder)."""
    state = []
    for path in paths:
        if osp.isfile(path):
            state.append(osp.getsize(path))
            continue
        n_files, newest = 0, 0.0
        for root, _, files in os.walk(path):
            for name in files:
                n_files += 1
                try:
                    newest = max(newest, os.stat(osp.join(root, name)).st_mtime)
                except FileNotFoundError:  # a temporary file renamed meanwhile
                    pass
        state.append((n_files, newest))
    return tuple(state)


def run_watched(cmd: Sequence[str], cwd: str = REPO_ROOT, env: Optional[dict] = None, watch: Sequence[str] = (),
                stall_timeout: int = STALL_TIMEOUT) -> subprocess.CompletedProcess:
    """Run ``cmd`` to its end, however long it takes while it makes progress; kill it (and fail) only
    when it stalls: no new output and no change in the ``watch`` folders for ``stall_timeout`` seconds.
    A slow run on a busy machine is not cut off by a wall-clock guess (pytest's own limit still applies)."""
    with tempfile.TemporaryDirectory(prefix='watched_') as logs:
        out_path, err_path = osp.join(logs, 'stdout'), osp.join(logs, 'stderr')
        with open(out_path, 'w') as out_file, open(err_path, 'w') as err_file:
            child = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=out_file, stderr=err_file, text=True)
            last, last_change = None, time.monotonic()
            while child.poll() is None:
                time.sleep(0.5)
                state = progress([out_path, err_path, *watch])
                if state != last:
                    last, last_change = state, time.monotonic()
                elif time.monotonic() - last_change > stall_timeout:
                    child.kill()
                    child.wait()
                    raise AssertionError(f'{" ".join(map(str, cmd))} made no progress for {stall_timeout} s:\n'
                                         f'{open(err_path).read()[-5000:]}')
        with open(out_path) as out_file, open(err_path) as err_file:
            return subprocess.CompletedProcess(child.args, child.returncode, out_file.read(), err_file.read())


def run_tool(script: str, *args: str, cwd: str = REPO_ROOT, check: bool = True,
             watch: Sequence[str] = ()) -> subprocess.CompletedProcess:
    """Run one of the repo's tools/ scripts in a fresh interpreter, as a user would (stopped only if it
    stalls, see :func:`run_watched`)."""
    env = dict(os.environ, PYTHONUNBUFFERED='1')
    proc = run_watched([sys.executable, osp.join(REPO_ROOT, script), *args], cwd=cwd, env=env, watch=watch)
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
    proc = run_watched(['bash', f'tools/benchmarks/{toolbox}/run_sweep.sh', checkpoint, label, config_dir, *options],
                       env=env, watch=[work_root])
    assert proc.returncode == 0, f'run_sweep.sh failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}'
    runs = {}
    for work_dir in sorted(glob.glob(osp.join(work_root, '*', label, '*', 'seed0-*'))):
        name = osp.basename(osp.dirname(work_dir))
        assert name not in runs, f'two work dirs for {name}: {runs.get(name)} and {work_dir}'
        runs[name] = work_dir
    return runs
