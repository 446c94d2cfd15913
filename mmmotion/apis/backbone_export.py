"""Turning a MotionMask training checkpoint into a backbone checkpoint for the transfer configs."""
import os
import os.path as osp
from collections import OrderedDict
from typing import Dict, List, Optional, Tuple

import torch


FC_STAGES = ('fc6.', 'fc7.')


def extract_backbone(state: Dict[str, torch.Tensor], prefix: str = 'backbone.', conv_only: bool = False,
                     fc_prefix: Optional[str] = None) -> 'OrderedDict[str, torch.Tensor]':
    """The entries of ``state`` under ``prefix`` with the prefix removed (fc6/fc7 dropped when
    ``conv_only``, for the fully-convolutional AlexNet). ``fc_prefix`` names where fc6/fc7 sit when a
    model keeps them outside its backbone: Fast R-CNN's ``'roi_head.bbox_head.'``
    (:class:`mmmotion.models.heads.AlexNetBBoxHead`), so a trained detector exports as a whole AlexNet."""
    out = OrderedDict()
    sources = [(prefix, ())] + ([] if fc_prefix is None or conv_only else [(fc_prefix, FC_STAGES)])
    for key, value in state.items():
        for source, only in sources:
            name = key[len(source):]
            if not key.startswith(source) or (only and not name.startswith(only)):
                continue
            if conv_only and name.startswith(FC_STAGES):
                continue
            if name in out:
                raise KeyError(f'{name!r} is under both {prefix!r} and {fc_prefix!r}')
            out[name] = value.detach().clone().cpu()
    return out


def check_alexnet(weights: Dict[str, torch.Tensor]) -> Tuple[dict, List[str], List[str]]:
    """Load ``weights`` into the AlexNet they describe (BN or not, with or without fc layers);
    returns (its kwargs, missing keys, unexpected keys)."""
    from mmmotion.models.backbones import AlexNet
    kwargs = dict(with_bn='conv1.bn.weight' in weights,
                  fully_conv=not any(k.startswith('fc6.') for k in weights))
    if kwargs['fully_conv']:
        kwargs['out_indices'] = (4, )
    result = AlexNet(**kwargs).load_state_dict(weights, strict=False)
    return kwargs, list(result.missing_keys), list(result.unexpected_keys)


def export_backbone(checkpoint: str, output: str, prefix: str = 'backbone.',
                    conv_only: bool = False, fc_prefix: Optional[str] = None) -> dict:
    """Write ``output`` = the backbone weights of ``checkpoint`` (``state_dict`` + ``meta``), with fc6/fc7
    from under ``fc_prefix`` when given (:func:`extract_backbone`).

    Returns a report: ``num_keys`` (checkpoint), ``num_backbone_keys``, ``alexnet`` (kwargs of the
    AlexNet it matches; None for a backbone that is not mmmotion's AlexNet, which is then not
    checked), ``missing_keys`` and ``unexpected_keys`` when loaded into it.
    """
    if not osp.isfile(checkpoint):
        raise FileNotFoundError(f'checkpoint not found: {checkpoint}')
    # weights-only: a checkpoint is data, never code (mmmotion saves plain data).
    ckpt = torch.load(checkpoint, map_location='cpu', weights_only=True)
    state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else None
    if not isinstance(state, dict):
        raise ValueError(f'{checkpoint}: no state_dict found')
    weights = extract_backbone(state, prefix, conv_only, fc_prefix)
    if not weights:
        raise KeyError(f'{checkpoint}: no key starts with {prefix!r} (first keys: {list(state)[:5]})')
    if 'conv1.conv.weight' in weights:
        kwargs, missing, unexpected = check_alexnet(weights)
    else:  # another backbone (e.g. a project's ResNet): nothing to check it against
        kwargs, missing, unexpected = None, [], []
    meta = dict(source=osp.abspath(checkpoint), prefix=prefix, alexnet=kwargs)
    if fc_prefix is not None:
        meta['fc_prefix'] = fc_prefix
    if isinstance(ckpt.get('meta'), dict):
        meta.update({k: ckpt['meta'][k] for k in ('iter', 'epoch') if k in ckpt['meta']})
    os.makedirs(osp.dirname(osp.abspath(output)), exist_ok=True)
    torch.save(dict(state_dict=weights, meta=meta), output)
    return dict(num_keys=len(state), num_backbone_keys=len(weights),
                num_values=sum(v.numel() for v in weights.values()), alexnet=kwargs,
                missing_keys=missing, unexpected_keys=unexpected, output=output)
