"""Where and with what a run ran: the mmmotion commit, the stack's versions, file hashes, the machine and its
load, for run records and for the text tools write into the docs."""
import datetime
import functools
import hashlib
import os
import os.path as osp
import platform
import re
import subprocess
from importlib import metadata
from typing import Dict, Optional, Sequence

STACK = ('torch', 'torchvision', 'mmengine', 'mmcv', 'mmdet', 'mmsegmentation', 'mmpretrain', 'mmmotion')


@functools.lru_cache(maxsize=64)
def _sha256(path: str, size: int, mtime: float) -> str:
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def file_sha256(path: str) -> str:
    """SHA-256 of a file's bytes ('' for a URL or a missing file, which the record then names)."""
    if not osp.isfile(path):
        return ''
    stat = os.stat(path)
    return _sha256(osp.abspath(path), stat.st_size, stat.st_mtime)


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """The git commit of the mmmotion source in use (``+dirty`` with uncommitted changes), or the
    package version when it is not a git checkout (an installed wheel); ``$MMMOTION_CODE_VERSION`` where set
    (a copy of a checkout sent to another machine without its .git, named by the sender)."""
    from mmmotion import __file__ as package_file
    from mmmotion.version import __version__
    if os.environ.get('MMMOTION_CODE_VERSION'):  # set by whoever runs a copy of a checkout without its .git
        return os.environ['MMMOTION_CODE_VERSION']
    folder = osp.dirname(osp.abspath(package_file))
    try:
        commit = subprocess.run(['git', 'rev-parse', 'HEAD'], cwd=folder, capture_output=True, text=True,
                                timeout=30)
        if commit.returncode != 0:
            return __version__
        # uncommitted changes to the code only (the package, configs, tools): docs a tool rewrites do not count
        dirty = subprocess.run(['git', 'status', '--porcelain', '--untracked-files=no', '--', '.', ':(top)configs',
                                ':(top)tools'], cwd=folder, capture_output=True, text=True, timeout=30).stdout.strip()
        return commit.stdout.strip()[:12] + ('+dirty' if dirty else '')
    except (OSError, subprocess.SubprocessError):
        return __version__


def stack_versions() -> Dict[str, str]:
    """Installed versions of torch and the OpenMMLab packages ('' for those not installed)."""
    versions = {}
    for name in STACK:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = ''
    return versions


def machine_load() -> Optional[float]:
    """The 1-minute load average (None where the OS has none)."""
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


def now() -> str:
    return datetime.datetime.now().isoformat(timespec='seconds')


def run_conditions(load_start: Optional[float], load_end: Optional[float]) -> str:
    """How busy the machine was and which code ran, for text a tool writes into the docs: measured,
    never assumed (a run on an idle machine must not say the cores were shared, nor the reverse)."""
    cores = os.cpu_count() or 0

    def show(load):
        return 'unknown' if load is None else f'{load:.1f}'
    return (f'1-min load average {show(load_start)} at the start and {show(load_end)} at the end, on {cores} '
            f'CPU cores; mmmotion commit {code_version()}')


# import name -> name in the text, for machine_description's libraries
LIBRARY_NAMES = {'numpy': 'NumPy', 'scipy': 'SciPy', 'skimage': 'scikit-image', 'cv2': 'OpenCV', 'faiss': 'faiss',
                 'ray': 'Ray', 'torch': 'torch'}


def machine_description(libraries: Sequence[str] = ()) -> str:
    """What a timing was measured on: CPU model, cores and memory, Python, and the versions of ``libraries``
    (import names, e.g. ``('numpy', 'cv2')``; one that is not installed is said to be)."""
    import importlib
    model = platform.processor() or platform.machine() or 'unknown CPU'
    try:
        found = re.search(r'Model name:\s*(.+)', subprocess.run(['lscpu'], capture_output=True, text=True).stdout)
        model = found.group(1).strip() if found else model
    except OSError:
        pass
    mem_gib = os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30
    versions = []
    for name in libraries:
        try:
            versions.append(f'{LIBRARY_NAMES.get(name, name)} {importlib.import_module(name).__version__}')
        except ImportError:
            versions.append(f'{LIBRARY_NAMES.get(name, name)} not installed')
    from mmmotion.utils.pool import available_cores
    return (f'{model}, {available_cores()} cores, {mem_gib:.0f} GiB RAM; Python {platform.python_version()}'
            + ''.join(f', {v}' for v in versions))
