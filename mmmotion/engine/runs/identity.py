"""What a config says of a run's identity: benchmark, task, metrics, frozen setting, shots, seeds, data, the
checkpoints it loads and a hash of what it computes. Reads a config as a dict; builds nothing."""
import copy
import hashlib
import json
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

from mmmotion.utils.config import dataset_configs

# task -> [(key logged by the toolbox, name in the table, factor to percent)]
TASK_METRICS: Dict[str, List[Tuple[str, str, float]]] = {
    'det': [('pascal_voc/mAP', 'mAP', 100.0)],
    'seg': [('mIoU', 'mIoU', 1.0)],
    'voc07': [('multi-label/mAP', 'mAP', 1.0)],
    'stanford40': [('accuracy/top1', 'top1', 1.0), ('multi-label/mAP', 'mAP', 1.0)],
}
# task -> the modules of its benchmark configs that load a pretrained AlexNet (Fast R-CNN: fc6/fc7 in the RoI head)
INIT_MODULES: Dict[str, Tuple[str, ...]] = {
    'det': ('model.backbone', 'model.roi_head.bbox_head'),
    'seg': ('model.backbone', ),
    'voc07': ('model.backbone', ),
    'stanford40': ('model.backbone', ),
}
KSHOT_TYPES = ('KShotDataset', 'mmmotion.KShotDataset')
# keys that do not change what a run computes (where it writes, how it is launched), or that are
# part of the identity on their own (seeds, checkpoint files): left out of the config hash
UNHASHED_KEYS = ('work_dir', 'launcher', 'resume', 'load_from', 'env_cfg')


def _datasets(loader_cfg: Optional[dict]) -> List[dict]:
    """Every dataset dict inside a dataloader config, wrappers first."""
    return [node for _, node in dataset_configs(loader_cfg)]


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


def same_identity(a: dict, b: dict) -> bool:
    """Whether two records describe the same computation (config, checkpoints, seeds, label)."""
    keys = ('label', 'benchmark', 'config_hash', 'checkpoint_sha256', 'seed', 'shots', 'subset_seed')
    return all(a.get(k) == b.get(k) for k in keys)


def init_options(modules: Sequence[str], checkpoint: Optional[str]) -> Dict[str, str]:
    """Options that load ``checkpoint`` into each of ``modules`` (e.g. ``INIT_MODULES[task]``; none for random
    init)."""
    if checkpoint is None:
        return {}
    options = {}
    for module in modules:
        options.update({f'{module}.init_cfg.type': 'Pretrained', f'{module}.init_cfg.checkpoint': checkpoint})
    return options
