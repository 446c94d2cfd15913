"""``--cfg-options`` builders shared by everything that starts a training run from code (the MotionMask and
pretext pretrainings of the APIs, the toy comparison and the studies): which dataset each loader really
reads, where its data is, and a pretraining's seed and schedule."""
import functools
import os.path as osp
from typing import Any, Dict, Optional

LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
TRUE_MASKS_DIR = 'gt_masks'  # a MotionMask dataset's true masks (synthetic data, DAVIS), next to the pseudo masks


@functools.lru_cache(maxsize=None)
def loader_dataset_keys(config: str) -> Dict[str, str]:
    """Dotted key of the innermost dataset of each dataloader of the config file ``config`` (through wrappers
    such as ``KShotDataset``); loaders the config lacks are left out."""
    from mmengine.config import Config

    from .config import dataset_configs
    cfg = Config.fromfile(config)
    keys = {}
    for loader in LOADERS:
        chain = [key for key, _ in dataset_configs(cfg.get(loader), f'{loader}.dataset') if '.datasets' not in key]
        if chain:
            keys[loader] = chain[-1]
    return keys


def data_root_options(config: str, data_root: str) -> Dict[str, str]:
    """Options that point every dataloader of ``config`` at ``data_root`` (with a trailing slash)."""
    root = data_root if data_root.endswith('/') else data_root + '/'
    return {f'{key}.data_root': root for key in loader_dataset_keys(config).values()}


def pretraining_options(config: str, iters: Optional[int] = None, data_root: Optional[str] = None,
                        seed: Optional[int] = 0, with_true_masks: bool = True) -> Dict[str, Any]:
    """Options of a pretraining run of ``config``: its ``seed`` (None: the config's); with ``iters``, that many
    iterations, validated and saved at the end; with ``data_root``, that dataset for every loader, and (with
    ``with_true_masks``) validated against its true masks too when it has them (``gt_masks/``)."""
    options: Dict[str, Any] = {} if seed is None else {'randomness.seed': seed}
    if iters is not None:
        options.update({'train_cfg.max_iters': iters, 'train_cfg.val_interval': iters,
                        'default_hooks.checkpoint.interval': iters})
    if data_root is not None:
        options.update(data_root_options(config, data_root))
        if with_true_masks and osp.isdir(osp.join(data_root, TRUE_MASKS_DIR)):
            for loader, key in loader_dataset_keys(config).items():
                if loader != 'train_dataloader':
                    options[f'{key}.data_prefix.gt_mask_path'] = TRUE_MASKS_DIR
    return options
