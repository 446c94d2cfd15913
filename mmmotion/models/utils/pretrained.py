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
    raw = CheckpointLoader.load_checkpoint(checkpoint, map_location='cpu')
    state = raw.get('state_dict', raw) if isinstance(raw, dict) else None
    if not isinstance(state, Mapping):
        raise ValueError(f'{checkpoint}: no state_dict found')
    if prefix and any(key.startswith(prefix) for key in state):
        state = {key[len(prefix):]: value for key, value in state.items() if key.startswith(prefix)}
    wanted = [key for key in expected if key.split('.', 1)[0] in stages]
    missing = [key for key in wanted if key not in state]
    if missing:
        raise KeyError(f'{checkpoint} lacks {len(missing)} weights of stages {", ".join(stages)} '
                       f'(looked for keys with prefix {prefix!r} or bare): {missing[:6]}; '
                       f'its first keys are {list(state)[:6]}')
    wrong = [f'{key}: {tuple(state[key].shape)} vs {tuple(expected[key].shape)}' for key in wanted
             if tuple(state[key].shape) != tuple(expected[key].shape)]
    if wrong:
        raise ValueError(f'{checkpoint}: shapes differ from the model (BN vs LRN AlexNet? set with_bn to '
                         f'match the checkpoint): {wrong[:4]}')
    return {key: state[key] for key in wanted}
