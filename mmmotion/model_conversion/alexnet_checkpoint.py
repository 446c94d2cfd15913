"""Writing converted weights as an ``mmmotion.AlexNet`` checkpoint, checked against the net they are for."""
import os
import os.path as osp
from typing import Dict, Mapping

import torch


def alexnet_key_shapes(settings: Mapping[str, object], with_fc: bool) -> Dict[str, tuple]:
    """Keys and shapes of ``AlexNet(**settings)`` (with or without fc6/fc7), built on the meta device (no memory,
    no init) so a converter compares against the real module instead of a second copy of its layout."""
    from mmmotion.models.backbones import AlexNet
    with torch.device('meta'):
        model = AlexNet(**settings, with_fc=with_fc)
    return {key: tuple(value.shape) for key, value in model.state_dict().items()}


def save_alexnet_checkpoint(weights: Mapping[str, torch.Tensor], settings: Dict[str, object], output: str,
                            meta: Dict[str, object]) -> Dict[str, object]:
    """Check that ``weights`` are exactly ``AlexNet(**settings)``'s (conv1..conv5, and fc6/fc7 when present: no
    missing, unexpected or misshapen key), then write ``output`` = ``dict(state_dict, meta)`` with bare keys as
    ``tools/model_converters/extract_backbone_weights.py`` writes them. Returns a report for the CLIs.
    """
    with_fc = any(key.startswith('fc6.') for key in weights)
    expected = alexnet_key_shapes(settings, with_fc)
    missing = [key for key in expected if key not in weights]
    unexpected = [key for key in weights if key not in expected]
    wrong = [f'{key}: {tuple(weights[key].shape)} vs {expected[key]}' for key in expected
             if key in weights and tuple(weights[key].shape) != expected[key]]
    if missing or unexpected or wrong:
        raise ValueError(f'converted weights do not fit mmmotion.AlexNet({settings}): missing {missing}, '
                         f'unexpected {unexpected}, shapes {wrong}')
    state = {key: (weights[key].float() if weights[key].is_floating_point() else weights[key]).detach().clone()
             for key in expected}  # float32, but BN's num_batches_tracked stays an integer
    # meta['alexnet']: the layout settings any config loading these weights needs (read by
    # mmmotion.models.utils.alexnet_settings); conv_only: no fc6/fc7 (for fully_conv=True or with_fc=False).
    meta = dict(meta, alexnet=dict(settings), conv_only=not with_fc)
    os.makedirs(osp.dirname(osp.abspath(output)), exist_ok=True)
    torch.save(dict(state_dict=state, meta=meta), output)
    return dict(output=output, num_keys=len(state),
                num_values=sum(v.numel() for v in state.values()), **meta)


def describe_conversion(report: Mapping[str, object]) -> str:
    """What a converter CLI prints: the file written, what it loads into, and the config lines that load it."""
    settings, conv_only = report['alexnet'], report['conv_only']
    args = ''.join(f', {key}={value!r}' for key, value in settings.items() if key != 'with_bn' or value)
    lines = [f'wrote {report["output"]}: {report["num_keys"]} keys, {report["num_values"] / 1e6:.2f}M values '
             f'(conv1..conv5{"" if conv_only else ", fc6, fc7"} of mmmotion.AlexNet({args.lstrip(", ")}))']
    for name in ('dropped', 'input', 'warnings'):
        if report.get(name):
            lines.append(f'{name}: {report[name]}')
    lines.append('use it in a transfer config (docs/model_zoo.md):')
    lines.append(f"  backbone=dict(type='mmmotion.AlexNet'{args}, "
                 f"init_cfg=dict(type='Pretrained', checkpoint={report['output']!r}))")
    if conv_only:
        lines.append('  (conv layers only: for fully_conv=True or with_fc=False backbones)')
    return '\n'.join(lines)
