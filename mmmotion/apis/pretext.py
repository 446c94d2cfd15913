"""Pretraining a self-supervised pretext (RotationPred, RelativeLoc, mmpretrain's SimCLR ...) on the
frames of a uNLC dataset, the ones MotionMask trains on, then exporting its backbone for transfer."""
import os.path as osp
from typing import Any, Dict, Optional

# The pretexts' configs under the package's configs/: name -> (tiny CPU config, full config).
PRETEXT_CONFIGS = {
    name: (f'selfsup/{name}/{name}_alexnet-bn_1xb8-100it_tiny.py', f'selfsup/{name}/{name}_alexnet_8xb32-80k_unlc.py')
    for name in ('rotationpred', 'relativeloc', 'simclr')
}


def pretext_config(config: str, full: bool = False) -> str:
    """The config file of ``config``: a file path as is, or a pretext's name (a key of
    :data:`PRETEXT_CONFIGS`: its tiny config, or its full one when ``full``)."""
    from mmmotion.utils import package_path
    if config in PRETEXT_CONFIGS:
        return package_path('configs', PRETEXT_CONFIGS[config][int(full)])
    if not osp.isfile(config):
        raise FileNotFoundError(f'{config!r} is neither a config file nor a pretext name '
                                f'({", ".join(PRETEXT_CONFIGS)})')
    return config


def pretrain_pretext(config: str, data_root: str, work_dir: str, cfg_options: Optional[dict] = None,
                     export: bool = True, full: bool = False) -> Dict[str, Any]:
    """Train a pretext config on the frames of the uNLC dataset ``data_root`` in this process, then
    export its backbone (``<work_dir>/backbone.pth``, ``mmmotion.AlexNet`` keys, as MotionMask's).

    Args:
        config: a config file, or a pretext name (``'rotationpred'``, ``'relativeloc'``, ``'simclr'``).
        data_root: the uNLC generator's output folder (its ``images/`` and video split are used).
        work_dir: logs and checkpoints go here.
        cfg_options: extra overrides, as ``--cfg-options`` would give them (e.g. ``train_cfg.max_iters``).
        export: write the backbone checkpoint.
        full: with a pretext name, its full-scale config instead of the tiny one.

    Returns:
        ``checkpoint`` (the last training checkpoint), ``backbone`` (when exported) and ``export``
        (key counts; ``missing_keys``/``unexpected_keys`` against the AlexNet it loads into).
    """
    from .motionmask import pretrain_motionmask
    # The same in-process training and export as MotionMask's: a pretext config has no validation.
    result = pretrain_motionmask(data_root, work_dir, config=pretext_config(config, full),
                                 cfg_options=cfg_options, export=export, with_true_masks=False)
    result.pop('metrics', None)
    return result
