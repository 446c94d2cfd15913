"""Config adjustments every mmmotion entry point applies, and the configs and tools the package ships."""
import copy
import os
import os.path as osp
from typing import Any, Dict, List, Optional, Tuple, Union

from mmengine.config import Config

CHECKPOINT_HOOK_TYPES = ('WeightsOnlyCheckpointHook', 'mmmotion.WeightsOnlyCheckpointHook')


def prepare_config(cfg: Config) -> Config:
    """Add :class:`~mmmotion.engine.WeightsOnlyCheckpointHook` to ``custom_hooks`` if missing.

    Configs of mmdet, mmseg and mmpretrain know nothing of it, yet their checkpoints must resume
    under weights-only loading too.
    """
    hooks = list(cfg.get('custom_hooks') or [])
    if not any(hook.get('type') in CHECKPOINT_HOOK_TYPES for hook in hooks):
        hooks.append(dict(type='mmmotion.WeightsOnlyCheckpointHook'))
    cfg.custom_hooks = hooks
    return cfg


def package_path(*parts: str) -> str:
    """A file or folder that mmmotion ships inside its package, ``mmmotion/.mim/<parts>`` (``configs/...``,
    ``tools/...``), as OpenMMLab packages do: a copy in a wheel, a link to the checkout in an editable
    install. Raises FileNotFoundError, naming the path, when the package was installed without them."""
    path = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), '.mim', *parts)
    if not osp.exists(path):
        raise FileNotFoundError(f'{path} is missing: this mmmotion install has no {"/".join(parts[:1])} '
                                '(reinstall it with `pip install .` or `pip install -e .`, which put the '
                                'configs and tools in mmmotion/.mim)')
    return path


def load_config(cfg: Union[None, str, os.PathLike, Dict[str, Any], Config],
                options: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """A plain dict (a copy) from ``None`` (empty), a config file path, a dict or an mmengine ``Config``,
    with ``--cfg-options``-style ``options`` (dotted keys) merged in: the one config loader of mmmotion."""
    if cfg is None:
        cfg = {}
    if isinstance(cfg, (str, os.PathLike)):
        if not osp.isfile(cfg):
            raise FileNotFoundError(f'config file not found: {cfg}')
        cfg = Config.fromfile(str(cfg))
    cfg = copy.deepcopy(cfg.to_dict() if isinstance(cfg, Config) else dict(cfg))
    if options:
        merged = Config(cfg)
        merged.merge_from_dict(dict(options))
        cfg = merged.to_dict()
    return _without_delete_markers(cfg)


def _without_delete_markers(value: Any) -> Any:
    """``value`` with every ``_delete_`` key removed. mmengine drops the marker only where the base config has the
    key it replaces; uNLC's groups live in ``UNLC.DEFAULTS``, not in the base file, so ``motion=dict(flow=dict(
    _delete_=True, ...))`` would otherwise reach the stage's constructor (there is nothing to delete: the dict is
    the whole setting)."""
    if isinstance(value, dict):
        return {k: _without_delete_markers(v) for k, v in value.items() if k != '_delete_'}
    if isinstance(value, list):
        return [_without_delete_markers(v) for v in value]
    return value


def add_cfg_options(parser, help: str) -> None:
    """Give an argparse ``parser`` mmengine's ``--cfg-options KEY=VALUE ...`` (``DictAction``: dotted keys, values
    parsed as Python literals), ``None`` when absent; ``help`` says whose keys they are, with an example."""
    from mmengine.config import DictAction
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default=None, metavar='KEY=VALUE', help=help)


def dataset_configs(loader_cfg: Optional[dict], prefix: str = 'dataset') -> List[Tuple[str, dict]]:
    """Every dataset dict inside a dataloader config with its dotted key under the loader, wrappers first
    (through ``dataset`` and ``datasets``, e.g. ``dataset.dataset`` inside a ``KShotDataset``): the one walk
    over dataset wrappers that run identity, data-root options and low-shot plans share."""
    found, queue = [], [(prefix, loader_cfg.get('dataset'))] if loader_cfg else []
    while queue:
        key, item = queue.pop(0)
        if isinstance(item, dict):
            found.append((key, item))
            for child in ('dataset', 'datasets'):
                if child in item:
                    queue.append((f'{key}.{child}', item[child]))
        elif isinstance(item, (list, tuple)):
            queue.extend((f'{key}.{i}', value) for i, value in enumerate(item))
    return found
