"""Keep mmengine checkpoints loadable by ``torch.load(weights_only=True)``."""
from typing import Any

import numpy as np
from mmengine.hooks import Hook
from mmengine.logging import HistoryBuffer

from mmmotion.registry import HOOKS

# Marks a HistoryBuffer written as plain data, so loading can tell it apart from an ordinary dict.
_BUFFER_TAG = '__mmmotion_history_buffer__'


def to_plain_data(value: Any) -> Any:
    """Recursively turn numpy scalars/arrays and mmengine ``HistoryBuffer`` objects into python data.

    ``HistoryBuffer`` pickles its statistics *functions* (through ``builtins.getattr``), which
    weights-only unpickling rightly refuses; its state is just two arrays and a length.
    """
    if isinstance(value, HistoryBuffer):
        log_history, count_history = value.data
        return {_BUFFER_TAG: True, 'log_history': log_history.tolist(),
                'count_history': count_history.tolist(), 'max_length': int(value.max_length)}
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return type(value)((key, to_plain_data(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return type(value)(to_plain_data(item) for item in value)
    return value


def from_plain_data(value: Any) -> Any:
    """Inverse of :func:`to_plain_data` for history buffers (other values stay python data)."""
    if isinstance(value, dict):
        if value.get(_BUFFER_TAG):
            return HistoryBuffer(value['log_history'], value['count_history'], value['max_length'])
        return type(value)((key, from_plain_data(item)) for key, item in value.items())
    if isinstance(value, list):
        return [from_plain_data(item) for item in value]
    return value


@HOOKS.register_module()
class WeightsOnlyCheckpointHook(Hook):
    """Write the message hub and meta of every checkpoint as plain data, and restore them on load.

    With torch>=2.6, ``torch.load`` defaults to ``weights_only=True``, which is what stops a downloaded
    checkpoint from running code. mmengine 0.10.7 saves ``HistoryBuffer`` objects that need
    ``builtins.getattr`` to unpickle, so ``--resume`` fails. Rather than turning weights-only loading
    off, this hook stores those objects as lists and numbers and rebuilds them before the runner
    reads them back. ``tools/train.py`` adds it to every config.
    """

    priority = 'VERY_LOW'

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        for key in ('meta', 'message_hub'):
            if key in checkpoint:
                checkpoint[key] = to_plain_data(checkpoint[key])

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        if 'message_hub' in checkpoint:
            checkpoint['message_hub'] = from_plain_data(checkpoint['message_hub'])
