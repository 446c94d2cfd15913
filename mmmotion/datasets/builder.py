"""Building a config's training dataset outside a Runner: to count a sample's views, make one batch for a
benchmark, or read which images and videos a study's variant trains on."""
from typing import Any, Dict, Optional, Union

from mmengine.config import Config


def build_train_dataset(config: Union[str, Config], options: Optional[Dict[str, Any]] = None,
                        with_pipeline: bool = True):
    """The training dataset of ``config`` (a file or a loaded config) with ``options`` merged (dotted keys, as
    ``--cfg-options``), built in mmmotion's scope; without its pipeline, only its annotations are read."""
    from mmengine.registry import DefaultScope

    from mmmotion.registry import DATASETS
    from mmmotion.utils import register_all_modules
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(config) if isinstance(config, str) else config.copy()
    cfg.merge_from_dict(dict(options or {}))
    dataset_cfg = dict(cfg.train_dataloader.dataset)
    if not with_pipeline:
        dataset_cfg['pipeline'] = []
    with DefaultScope.overwrite_default_scope('mmmotion'):
        return DATASETS.build(dataset_cfg)
