"""Config adjustments every mmmotion entry point applies."""
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
