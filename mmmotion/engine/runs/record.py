"""The identity of one run, written next to it as ``run_record.json``.

A result means something only with its context: which benchmark (dataset and split), task and
metric, which checkpoint (label and file hash), frozen setting, shots and subset seed of a low-shot
run, training seed, the config (hash), the mmmotion commit and the versions of the stack.
``tools/train.py`` writes the record when a run starts and completes it when the run ends;
:mod:`mmmotion.experiments.report` groups results by it, and work dirs are keyed by it
(:func:`keyed_work_dir`), so runs that differ in any of these never share a folder.
"""
import hashlib
import os
import os.path as osp
import platform
import re
from typing import Dict, Optional

from mmmotion.utils.fileio import atomic_write_json, read_json
from .identity import config_identity, init_checkpoints
from .provenance import code_version, file_sha256, stack_versions

RECORD_FILE = 'run_record.json'


def default_label(checkpoints: Dict[str, str]) -> str:
    """'random' without a checkpoint, else the file name (without extension) of the first one."""
    if not checkpoints:
        return 'random'
    return osp.splitext(osp.basename(next(iter(checkpoints.values()))))[0]


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


def write_record(work_dir: str, record: dict) -> None:
    atomic_write_json(osp.join(work_dir, RECORD_FILE), record, indent=1)


def read_record(work_dir: str) -> Optional[dict]:
    """The run record in ``work_dir``, None when there is none (a run from before records)."""
    path = osp.join(work_dir, RECORD_FILE)
    return read_json(path) if osp.isfile(path) else None
