"""MotionMask pretraining in this process, then the backbone exported (the small-scale path used by
``make demo``, the tests and the toy experiment; at full scale: ``tools/train.py`` and
``tools/model_converters/extract_backbone_weights.py``)."""
import os.path as osp
from typing import Any, Dict, Optional

from mmmotion.utils.run_options import TRUE_MASKS_DIR, pretraining_options  # noqa: F401 (TRUE_MASKS_DIR: its users')

TINY_CONFIG = 'motionmask/motionmask_alexnet-bn_1xb8-100it_tiny.py'  # under the package's configs


def pretrain_motionmask(data_root: str, work_dir: str, config: Optional[str] = None,
                        cfg_options: Optional[dict] = None, export: bool = True,
                        with_true_masks: bool = True) -> Dict[str, Any]:
    """Train a MotionMask config on a uNLC dataset in this process, then export its backbone.

    Args:
        data_root: the generator's output folder.
        work_dir: logs, checkpoints and panels go here.
        config: the config file (default: the tiny CPU config the package ships, :data:`TINY_CONFIG`).
        cfg_options: extra overrides, as ``--cfg-options`` would give them.
        export: write ``<work_dir>/backbone.pth`` (``mmmotion.AlexNet`` keys).
        with_true_masks: also evaluate against ``gt_masks/`` when the dataset has it.

    Returns:
        ``checkpoint``, ``backbone`` (when exported), ``export`` (key counts), ``metrics`` (a
        validation of the final model, when the config has a validation set).
    """
    from mmengine.config import Config
    from mmengine.runner import Runner

    from mmmotion.apis.backbone_export import export_backbone
    from mmmotion.utils import package_path, prepare_config, register_all_modules

    register_all_modules(init_default_scope=False)
    config = config or package_path('configs', TINY_CONFIG)
    cfg = Config.fromfile(config)
    options = pretraining_options(config, data_root=data_root, seed=None, with_true_masks=with_true_masks)
    options.update(cfg_options or {})
    cfg.merge_from_dict(options, allow_list_keys=True)
    cfg.work_dir = work_dir
    cfg = prepare_config(cfg)
    runner = Runner.from_cfg(cfg)
    runner.train()
    checkpoint = osp.join(work_dir, f'iter_{runner.iter}.pth')
    if not osp.isfile(checkpoint):
        runner.save_checkpoint(work_dir, f'iter_{runner.iter}.pth')
    metrics = runner.val_loop.run() if runner.val_loop is not None else {}
    result = dict(checkpoint=checkpoint, metrics=dict(metrics))
    if export:
        result['export'] = export_backbone(checkpoint, osp.join(work_dir, 'backbone.pth'))
        result['backbone'] = result['export']['output']
    return result

