"""Loading some stages of an AlexNet checkpoint into a module that holds them (backbone or RoI head)."""
from typing import Dict, Mapping, Sequence

import torch
from mmengine.runner.checkpoint import CheckpointLoader


def load_stage_weights(checkpoint: str, stages: Sequence[str], prefix: str,
                       expected: Mapping[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """The weights of ``stages`` (e.g. ``('fc6', 'fc7')``) in ``checkpoint``, keyed as in ``expected``.

    The checkpoint may be a training checkpoint (keys ``<prefix><stage>.…``, e.g. ``backbone.fc6.fc.weight``)
    or an exported backbone (bare keys ``fc6.fc.weight``). Every key of ``expected`` that belongs to one of
    ``stages`` must be present with the same shape; otherwise a ``KeyError``/``ValueError`` names the
    checkpoint and the keys. Keys of other stages are ignored.
    """
    state = read_state_dict(checkpoint, prefix)
    wanted = [key for key in expected if key.split('.', 1)[0] in stages]
    missing = [key for key in wanted if key not in state]
    if missing:
        raise KeyError(f'{checkpoint} lacks {len(missing)} weights of stages {", ".join(stages)} '
                       f'(looked for keys with prefix {prefix!r} or bare): {missing[:6]}; '
                       f'its first keys are {list(state)[:6]}{_layout_hint(checkpoint, state)}')
    wrong = [f'{key}: {tuple(state[key].shape)} vs {tuple(expected[key].shape)}' for key in wanted
             if tuple(state[key].shape) != tuple(expected[key].shape)]
    if wrong:
        raise ValueError(f'{checkpoint}: shapes differ from the model: {wrong[:4]}{_layout_hint(checkpoint, state)}')
    return {key: state[key] for key in wanted}


# AlexNet settings that describe a checkpoint's weights, with their defaults
LAYOUT_KEYS = dict(arch='caffenet', lrn_after_pool=False, with_bn=False)


def _layout_hint(checkpoint: str, state: Mapping) -> str:
    """For an AlexNet checkpoint, the layout it needs (BN or LRN, CaffeNet or torchvision widths)."""
    if 'conv1.conv.weight' not in state:
        return ''
    return (f'; the checkpoint is an AlexNet with {alexnet_settings(checkpoint)}: set these in the backbone '
            '(and the head that holds fc6/fc7) to load it')


def _load_raw(checkpoint: str) -> Mapping:
    raw = CheckpointLoader.load_checkpoint(checkpoint, map_location='cpu')
    state = raw.get('state_dict', raw) if isinstance(raw, dict) else None
    if not isinstance(state, Mapping):
        raise ValueError(f'{checkpoint}: no state_dict found')
    return raw


def _strip_prefix(state: Mapping, prefix: str) -> Dict[str, torch.Tensor]:
    if prefix and any(key.startswith(prefix) for key in state):
        return {key[len(prefix):]: value for key, value in state.items() if key.startswith(prefix)}
    return dict(state)


def read_state_dict(checkpoint: str, prefix: str = 'backbone.') -> Dict[str, torch.Tensor]:
    """The backbone weights of ``checkpoint``: a training checkpoint's ``<prefix>…`` keys without the prefix,
    or an exported backbone's bare keys."""
    raw = _load_raw(checkpoint)
    return _strip_prefix(raw.get('state_dict', raw), prefix)


def alexnet_settings(checkpoint: str, prefix: str = 'backbone.') -> Dict[str, object]:
    """The ``mmmotion.AlexNet`` settings a checkpoint needs, so a comparison can load checkpoints of different
    layouts into the same benchmark config: ``with_bn`` (BN instead of LRN) and ``arch`` ('torchvision' when
    conv1 has torchvision's 64 filters, else 'caffenet') read from the weights, and what a converter recorded
    in ``meta['alexnet']`` (e.g. ``lrn_after_pool`` for CaffeNet's pool-then-LRN order)."""
    raw = _load_raw(checkpoint)
    state = _strip_prefix(raw.get('state_dict', raw), prefix)
    if 'conv1.conv.weight' not in state:
        raise KeyError(f'{checkpoint}: not an mmmotion.AlexNet checkpoint (no conv1.conv.weight; its first keys '
                       f'are {list(state)[:4]}); convert it with tools/model_converters first')
    recorded = {key: value for key, value in ((raw.get('meta') or {}).get('alexnet') or {}).items()
                if key in LAYOUT_KEYS}  # not how an exporter happened to build it (fully_conv, out_indices)
    return dict(recorded, with_bn='conv1.bn.weight' in state,
                arch='torchvision' if state['conv1.conv.weight'].shape[0] == 64 else 'caffenet')
