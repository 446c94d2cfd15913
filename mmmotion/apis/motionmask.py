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
    """Train a MotionMask config on a uNLC dataset in this process (:func:`mmmotion.apis.train.train_run`: a
    finished run of the same identity in ``work_dir`` is reused), then export its backbone.

    Args:
        data_root: the generator's output folder.
        work_dir: logs, checkpoints and panels go here.
        config: the config file (default: the tiny CPU config the package ships, :data:`TINY_CONFIG`).
        cfg_options: extra overrides, as ``--cfg-options`` would give them.
        export: write ``<work_dir>/backbone.pth`` (``mmmotion.AlexNet`` keys).
        with_true_masks: also evaluate against ``gt_masks/`` when the dataset has it.

    Returns:
        ``checkpoint`` (the last one saved), ``backbone`` (when exported), ``export`` (key counts), ``metrics``
        (a validation of the final model, when the config has a validation set).
    """
    from mmmotion.apis.backbone_export import export_backbone
    from mmmotion.apis.train import latest_checkpoint, train_run
    from mmmotion.engine.runs import read_record
    from mmmotion.utils import package_path

    config = config or package_path('configs', TINY_CONFIG)
    options = pretraining_options(config, data_root=data_root, seed=None, with_true_masks=with_true_masks)
    options.update(cfg_options or {})
    train_run(config, options, 'motionmask', work_dir=work_dir, validate=True, log=lambda text: None)
    checkpoint = latest_checkpoint(work_dir)
    result = dict(checkpoint=checkpoint, metrics=read_record(work_dir)['final_metrics'])
    if export:
        result['export'] = export_backbone(checkpoint, osp.join(work_dir, 'backbone.pth'))
        result['backbone'] = result['export']['output']
    return result
