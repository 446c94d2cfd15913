"""The identity of one benchmark run, written next to it as ``run_record.json``.

A result means something only with its context: which benchmark (dataset and split), task and
metric, which checkpoint (label and file hash), frozen setting, shots and subset seed of a low-shot
run, training seed, the config (hash), the mmmotion commit and the versions of the stack.
``tools/train.py`` writes the record when a run starts and completes it when the run ends;
:mod:`mmmotion.evaluation.transfer_results` groups results by it, and work dirs are keyed by it
(:func:`keyed_work_dir`), so runs that differ in any of these never share a folder.

Everything here reads a config as a dict; nothing builds a model or a dataset.
"""
import copy
import datetime
import functools
import hashlib
import json
import os
import os.path as osp
import platform
import re
import subprocess
from importlib import metadata
from typing import Dict, List, Optional, Tuple

from mmmotion.utils.fileio import atomic_write_json, read_json

RECORD_FILE = 'run_record.json'
STACK = ('torch', 'torchvision', 'mmengine', 'mmcv', 'mmdet', 'mmsegmentation', 'mmpretrain', 'mmmotion')
# task -> [(key logged by the toolbox, name in the table, factor to percent)]
TASK_METRICS: Dict[str, List[Tuple[str, str, float]]] = {
    'det': [('pascal_voc/mAP', 'mAP', 100.0)],
    'seg': [('mIoU', 'mIoU', 1.0)],
    'voc07': [('multi-label/mAP', 'mAP', 1.0)],
    'stanford40': [('accuracy/top1', 'top1', 1.0), ('multi-label/mAP', 'mAP', 1.0)],
}
KSHOT_TYPES = ('KShotDataset', 'mmmotion.KShotDataset')
# keys that do not change what a run computes (where it writes, how it is launched), or that are
# part of the identity on their own (seeds, checkpoint files): left out of the config hash
UNHASHED_KEYS = ('work_dir', 'launcher', 'resume', 'load_from', 'env_cfg')


def _datasets(loader_cfg: Optional[dict]) -> List[dict]:
    """Every dataset dict inside a dataloader config, wrappers first."""
    found, stack = [], [loader_cfg.get('dataset', {})] if loader_cfg else []
    while stack:
        item = stack.pop(0)
        if isinstance(item, dict):
            found.append(item)
            stack.extend(v for k, v in item.items() if k in ('dataset', 'datasets'))
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return found


def _dataset_types(loader_cfg: Optional[dict]) -> List[str]:
    return [d['type'] for d in _datasets(loader_cfg) if isinstance(d.get('type'), str)]


def task_of(cfg: dict) -> str:
    """'det', 'seg', 'voc07' or 'stanford40', from the model and dataset types of a config."""
    model_type = str(cfg['model'].get('type', ''))
    if 'roi_head' in cfg['model'] or model_type.endswith(('FastRCNN', 'FasterRCNN')):
        return 'det'
    if model_type.endswith('EncoderDecoder'):
        return 'seg'
    dataset_types = ' '.join(_dataset_types(cfg.get('train_dataloader')))
    if 'Stanford40' in dataset_types:
        return 'stanford40'
    if 'VOC' in dataset_types:
        return 'voc07'
    raise ValueError(f'cannot tell the benchmark task of a {model_type or "model"} config '
                     f'on {dataset_types or "no dataset"}')


def frozen_tag(cfg: dict) -> str:
    """The paper's name of a config's frozen setting: 'all', 'c1' ... 'c5', or 'fc6-8' (conv1-conv5
    frozen, fc6/fc7 re-initialised)."""
    backbone = cfg['model']['backbone']
    frozen = int(backbone.get('frozen_stages', -1))
    if frozen >= 5 and {'fc6', 'fc7'} & set(backbone.get('reinit_stages', ()) or ()):
        return 'fc6-8'
    return 'all' if frozen <= 0 else f'c{frozen}'


def data_of(loader_cfg: Optional[dict]) -> str:
    """The images a dataloader reads, as ``root/annotation-or-split`` of each leaf dataset ('+'-joined)."""
    parts = []
    for dataset in _datasets(loader_cfg):
        if any(k in dataset for k in ('dataset', 'datasets')):
            continue  # a wrapper: its leaves say the data
        root = str(dataset.get('data_root', '') or '')
        which = dataset.get('ann_file') or dataset.get('split') or ''
        parts.append(osp.join(root, str(which)) if which else root)
    return '+'.join(parts)


def low_shot_of(cfg: dict) -> Tuple[Optional[int], Optional[int]]:
    """(shots k, subset seed) of a low-shot config's training set, (None, None) for a full one."""
    for dataset in _datasets(cfg.get('train_dataloader')):
        if dataset.get('type') in KSHOT_TYPES:
            return int(dataset['shots']), int(dataset.get('seed', 0))
    return None, None


def benchmark_of(cfg: dict) -> str:
    """The config's ``benchmark`` name (every shipped benchmark config sets one), else one made from
    its task and data: ``<task>:<train data>-><test data>``."""
    if cfg.get('benchmark'):
        return str(cfg['benchmark'])
    test = cfg.get('test_dataloader') or cfg.get('val_dataloader')
    return f'{task_of(cfg)}:{data_of(cfg.get("train_dataloader"))}->{data_of(test)}'


def init_checkpoints(cfg: dict) -> Dict[str, str]:
    """Where the config loads weights from: ``{'model.backbone': path, ...}`` for every ``Pretrained``
    init_cfg, plus ``{'load_from': path}``."""
    found = {}

    def visit(node, path):
        if isinstance(node, dict):
            init = node.get('init_cfg')
            if isinstance(init, dict) and init.get('type') == 'Pretrained' and init.get('checkpoint'):
                found[path] = str(init['checkpoint'])
            for key, value in node.items():
                if key != 'init_cfg':
                    visit(value, f'{path}.{key}')
    visit(cfg.get('model', {}), 'model')
    if cfg.get('load_from'):
        found['load_from'] = str(cfg['load_from'])
    return found


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


def _without_identity(node):
    """A copy of a config dict with checkpoint paths and subset seeds blanked (they enter the
    identity on their own)."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == 'init_cfg' and isinstance(value, dict) and value.get('checkpoint'):
                value = dict(value, checkpoint='<checkpoint>')
            elif key == 'seed' and node.get('type') in KSHOT_TYPES:
                value = '<subset seed>'
            out[key] = _without_identity(value)
        return out
    if isinstance(node, (list, tuple)):
        return [_without_identity(v) for v in node]
    return node


def config_hash(cfg: dict) -> str:
    """SHA-256 of what the config computes: everything but where it writes, how it is launched, the
    training seed, the subset seed and the checkpoint paths (hashed by content instead)."""
    cfg = copy.deepcopy(dict(cfg))
    for key in UNHASHED_KEYS:
        cfg.pop(key, None)
    randomness = dict(cfg.get('randomness') or {})
    randomness.pop('seed', None)
    cfg['randomness'] = randomness
    text = json.dumps(_without_identity(cfg), sort_keys=True, default=repr)
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


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


def default_label(checkpoints: Dict[str, str]) -> str:
    """'random' without a checkpoint, else the file name (without extension) of the first one."""
    if not checkpoints:
        return 'random'
    return osp.splitext(osp.basename(next(iter(checkpoints.values()))))[0]


def config_identity(cfg: dict) -> dict:
    """What a config alone says of a run's identity: benchmark, task, metrics, frozen setting, schedule,
    shots and subset seed, training seed, data and config hash (``task`` None for a config that is not a
    transfer benchmark, e.g. MotionMask pretraining)."""
    try:
        task = task_of(cfg)
    except (ValueError, KeyError):
        task = None
    shots, subset_seed = low_shot_of(cfg)
    model_type = str((cfg.get('model') or {}).get('type', 'model'))
    return dict(
        benchmark=benchmark_of(cfg) if task else str(cfg.get('benchmark') or model_type),
        task=task,
        metrics=[name for _, name, _ in TASK_METRICS[task]] if task else [],
        frozen=frozen_tag(cfg) if task else None,
        max_iters=(cfg.get('train_cfg') or {}).get('max_iters'),
        max_epochs=(cfg.get('train_cfg') or {}).get('max_epochs'),
        shots=shots,
        subset_seed=subset_seed,
        seed=(cfg.get('randomness') or {}).get('seed'),
        train_data=data_of(cfg.get('train_dataloader')),
        test_data=data_of(cfg.get('test_dataloader') or cfg.get('val_dataloader')),
        config_hash=config_hash(cfg),
    )


def make_record(cfg: dict, config_path: str, label: Optional[str] = None) -> dict:
    """The identity of a run of ``cfg`` (a merged config, as ``tools/train.py`` runs it): the config's
    (:func:`config_identity`) plus the checkpoint files' hashes, the code and the machine."""
    cfg = cfg.to_dict() if hasattr(cfg, 'to_dict') else dict(cfg)
    checkpoints = init_checkpoints(cfg)
    record = dict(
        label=label or default_label(checkpoints),
        **config_identity(cfg),
        config=osp.basename(config_path),
        checkpoints={module: dict(path=path, sha256=file_sha256(path)) for module, path in checkpoints.items()},
        commit=code_version(),
        versions=stack_versions(),
        machine=f'{platform.machine()}, {os.cpu_count()} CPU cores',
    )
    record['checkpoint_sha256'] = checkpoint_digest(record)
    return record


def checkpoint_digest(record: dict) -> str:
    """One hash for all the checkpoint files a run loads ('' for random init)."""
    hashes = sorted(f'{m}={c["sha256"] or c["path"]}' for m, c in (record.get('checkpoints') or {}).items())
    return hashlib.sha256('\n'.join(hashes).encode()).hexdigest() if hashes else ''


def _path_part(text: str) -> str:
    return re.sub(r'[^A-Za-z0-9._+-]+', '_', str(text)).strip('_') or '_'


def run_key(record: dict) -> str:
    """The last folder of a run's keyed work dir: seed, low-shot subset, and a short hash of the config
    and the checkpoint files, e.g. ``seed0-k10-subset2-3fa9c01b``."""
    key = 'unseeded' if record.get('seed') is None else f'seed{record["seed"]}'
    if record.get('shots') is not None:
        key += f'-k{record["shots"]}-subset{record["subset_seed"]}'
    digest = hashlib.sha256(f'{record["config_hash"]}\n{record["checkpoint_sha256"]}'.encode()).hexdigest()
    return f'{key}-{digest[:8]}'


def keyed_work_dir(work_root: str, record: dict) -> str:
    """``<work_root>/<benchmark>/<label>/<config name>/<run key>``: one folder per identity."""
    name = osp.splitext(record['config'])[0]
    return osp.join(work_root, _path_part(record['benchmark']), _path_part(record['label']), name,
                    run_key(record))


def now() -> str:
    return datetime.datetime.now().isoformat(timespec='seconds')


def write_record(work_dir: str, record: dict) -> None:
    atomic_write_json(osp.join(work_dir, RECORD_FILE), record, indent=1)


def read_record(work_dir: str) -> Optional[dict]:
    """The run record in ``work_dir``, None when there is none (a run from before records)."""
    path = osp.join(work_dir, RECORD_FILE)
    return read_json(path) if osp.isfile(path) else None


def same_identity(a: dict, b: dict) -> bool:
    """Whether two records describe the same computation (config, checkpoints, seeds, label)."""
    keys = ('label', 'benchmark', 'config_hash', 'checkpoint_sha256', 'seed', 'shots', 'subset_seed')
    return all(a.get(k) == b.get(k) for k in keys)


def run_conditions(load_start: Optional[float], load_end: Optional[float]) -> str:
    """How busy the machine was and which code ran, for text a tool writes into the docs: measured,
    never assumed (a run on an idle machine must not say the cores were shared, nor the reverse)."""
    cores = os.cpu_count() or 0

    def show(load):
        return 'unknown' if load is None else f'{load:.1f}'
    return (f'1-min load average {show(load_start)} at the start and {show(load_end)} at the end, on {cores} '
            f'CPU cores; mmmotion commit {code_version()}')
