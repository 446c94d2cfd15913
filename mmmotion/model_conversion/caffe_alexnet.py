"""Caffe AlexNet / CaffeNet (``.caffemodel`` [+ ``.prototxt``]) -> ``mmmotion.AlexNet``.

The net is read as a chain of layers from conv1's input (TEST phase), compared layer by layer with the
``mmmotion.AlexNet`` it should become (built on the meta device, so the layout is the module's own), and its
blobs are mapped onto conv1..conv5, fc6, fc7 (and their BN, for BatchNorm + Scale nets); what follows fc7
(fc8, losses) is dropped. Grouped convolutions become block-diagonal full ones. Caffe nets take raw BGR
0-255 minus a mean (times a scale); mmmotion configs feed RGB normalised by ImageNet mean/std: the channel
swap, std and mean difference are folded into conv1, which is exact because conv1 is unpadded in
CaffeNet/AlexNet (a padded conv1 is refused). pathak22's released models already start with a
``TorchImageTransformLayer`` doing mmmotion's normalisation: nothing is folded.
"""
import math
import os.path as osp
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn
from google.protobuf.message import Message
from torch.nn.modules.batchnorm import _BatchNorm

from mmmotion.models.backbones.alexnet import ARCHS, STAGE_NAMES
from .alexnet_checkpoint import save_alexnet_checkpoint
from .caffe_proto import (blob_array, blob_shape, mean_from_binaryproto, net_layers, optional_field,
                          read_caffemodel, read_prototxt, layer_type)

BVLC_MEAN_BGR = (104.00698793, 116.66876762, 122.67891434)  # BVLC's ilsvrc_2012_mean averaged over pixels
MMMOTION_MEAN_RGB = (123.675, 116.28, 103.53)  # the configs' data_preprocessor (ImageNet mean/std, 0-255 RGB)
MMMOTION_STD_RGB = (58.395, 57.12, 57.375)
DATA_TYPES = ('Data', 'ImageData', 'WindowData', 'MemoryData', 'DummyData', 'HDF5Data', 'Input', 'VideoData')
SKIPPED_TYPES = ('Dropout', 'Flatten')  # the identity at test time / the C,H,W flatten InnerProduct does itself
TORCH_TRANSFORM = 'TorchImageTransformLayer'  # pathak22/unsupervised-video's image_transform_layer.py
INPUTS = ('auto', 'bgr', 'rgb-normalized')
LAYER_TYPES = ('Convolution', 'InnerProduct', 'ReLU', 'LRN', 'Pooling', 'BatchNorm', 'Scale')  # what maps
BN_EPS = 1e-5  # torch's BatchNorm default, which mmmotion.AlexNet(with_bn=True) uses
TERMINAL_TYPES = ('Accuracy', 'Softmax', 'Silence', 'Sigmoid', 'ArgMax', 'TanH')  # and every *Loss: head, not trunk


def _pair(values: Sequence[int], h: Optional[int], w: Optional[int], default: int) -> Tuple[int, int]:
    if h is not None or w is not None:
        return int(h if h is not None else default), int(w if w is not None else default)
    values = list(values) or [default]
    return int(values[0]), int(values[-1])


def _conv_geometry(param: Message) -> Tuple[Tuple[int, int], Tuple[int, int], Tuple[int, int]]:
    kernel = _pair(param.kernel_size, optional_field(param, 'kernel_h'), optional_field(param, 'kernel_w'), 1)
    stride = _pair(param.stride, optional_field(param, 'stride_h'), optional_field(param, 'stride_w'), 1)
    pad = _pair(param.pad, optional_field(param, 'pad_h'), optional_field(param, 'pad_w'), 0)
    return kernel, stride, pad


def _pool_geometry(param: Message) -> Tuple[Tuple[int, int], Tuple[int, int], Tuple[int, int]]:
    kernel = _pair([param.kernel_size] if param.HasField('kernel_size') else [], optional_field(param, 'kernel_h'),
                   optional_field(param, 'kernel_w'), 1)
    stride = _pair([param.stride], optional_field(param, 'stride_h'), optional_field(param, 'stride_w'), 1)
    pad = _pair([param.pad], optional_field(param, 'pad_h') or None, optional_field(param, 'pad_w') or None, 0)
    return kernel, stride, pad


def _num(value: float) -> float:
    return float(f'{value:.6g}')  # float32 fields (alpha = 1e-4 is stored as 9.99999975e-05)


def layer_signature(layer: Message) -> tuple:
    """What a Caffe layer computes at test time, in the terms of :func:`module_signature`."""
    kind = layer_type(layer)
    if kind == 'Convolution':
        param = layer.convolution_param
        if any(d != 1 for d in param.dilation):
            return kind, 'dilation', tuple(param.dilation)
        return (kind, param.num_output) + _conv_geometry(param)
    if kind == 'InnerProduct':
        param = layer.inner_product_param
        return (kind, param.num_output) + (('transpose', ) if param.transpose else ())
    if kind == 'ReLU':
        slope = layer.relu_param.negative_slope if layer.HasField('relu_param') else 0.0
        return (kind, ) if slope == 0 else (kind, 'negative_slope', slope)
    if kind == 'LRN':
        param = layer.lrn_param
        region = () if param.norm_region == 0 else ('WITHIN_CHANNEL', )
        return (kind, param.local_size, _num(param.alpha), _num(param.beta), _num(param.k)) + region
    if kind == 'Scale':  # only as BatchNorm's affine part (see _units)
        return kind, 'bias_term' if layer.scale_param.bias_term else 'no bias'
    if kind == 'Pooling':
        param = layer.pooling_param
        if param.global_pooling:
            return kind, 'global'
        method = param.DESCRIPTOR.fields_by_name['pool'].enum_type.values_by_number[param.pool].name
        return (kind, method) + _pool_geometry(param)
    return (kind, )


def module_signature(module: nn.Module) -> Optional[tuple]:
    """The :func:`layer_signature` of an AlexNet module (None for those with no Caffe layer: dropout, flatten,
    torchvision's avgpool, the identity on 6x6 pool5 maps)."""
    if isinstance(module, nn.Conv2d):
        return ('Convolution', module.out_channels, tuple(module.kernel_size), tuple(module.stride),
                tuple(module.padding))
    if isinstance(module, nn.Linear):
        return 'InnerProduct', module.out_features
    if isinstance(module, nn.ReLU):
        return ('ReLU', )
    if isinstance(module, _BatchNorm):
        return ('BatchNorm', )
    if isinstance(module, nn.LocalResponseNorm):
        return 'LRN', module.size, _num(module.alpha), _num(module.beta), _num(module.k)
    if isinstance(module, nn.MaxPool2d):
        return 'Pooling', 'MAX', (module.kernel_size, ) * 2, (module.stride, ) * 2, (module.padding, ) * 2
    return None


def alexnet_layout(settings: Dict[str, object], with_fc: bool) -> List[Tuple[str, tuple]]:
    """(stage, signature) of every computing module of ``AlexNet(**settings)``, in forward order."""
    from mmmotion.models.backbones import AlexNet
    with torch.device('meta'):
        model = AlexNet(**settings, with_fc=with_fc)
    layout = []
    for stage in STAGE_NAMES[:model.num_stages]:
        for module in getattr(model, stage).children():
            signature = module_signature(module)
            if signature is not None:
                layout.append((stage, signature))
    return layout


def _describe(signature: tuple) -> str:
    return f'{signature[0]}({", ".join(map(str, signature[1:]))})'


def _active(layer: Message) -> bool:
    """Whether a layer is in the TEST-phase net (include/exclude rules on the phase; levels/stages ignored)."""
    if len(layer.include):
        return any(not rule.HasField('phase') or rule.phase == 1 for rule in layer.include)
    return not any(rule.HasField('phase') and rule.phase == 1 for rule in layer.exclude)


def caffe_chain(net: Message, source: str) -> Tuple[List[Message], Optional[Message]]:
    """The layers from the first convolution on, following its output blob (in-place or not), and the
    layer that produces the first convolution's input (None: a net input)."""
    layers = [layer for layer in net_layers(net, source) if _active(layer)]
    first = next((i for i, layer in enumerate(layers) if layer_type(layer) == 'Convolution'), None)
    if first is None:
        raise ValueError(f'{source}: no Convolution layer (types: {sorted({layer_type(x) for x in layers})})')
    blob = layers[first].bottom[0]
    producer = next((layer for layer in reversed(layers[:first]) if blob in layer.top), None)
    chain = []
    for layer in layers[first:]:
        if blob in layer.bottom:
            chain.append(layer)
            blob = layer.top[0] if len(layer.top) else None
    return chain, producer


def _backbone_part(chain: List[Message]) -> Tuple[List[Message], List[str]]:
    """Cut ``chain`` before its head: the 8th weighted layer (fc8), or the 6th when it is not an InnerProduct
    (a conv-only trunk with a conv head), or the first loss/output layer; a trailing pool5 of a conv-only trunk
    goes too. Returns (kept, names of dropped layers)."""
    weighted = [i for i, layer in enumerate(chain) if layer_type(layer) in ('Convolution', 'InnerProduct')]
    cut = next((i for i, layer in enumerate(chain)
                if layer_type(layer) in TERMINAL_TYPES or layer_type(layer).endswith('Loss')), len(chain))
    weighted = [i for i in weighted if i < cut]
    if len(weighted) > 7:
        cut = min(cut, weighted[7])
    elif len(weighted) > 5 and layer_type(chain[weighted[5]]) != 'InnerProduct':
        cut = weighted[5]
    kept = [layer for layer in chain[:cut] if layer_type(layer) not in SKIPPED_TYPES]
    if sum(layer_type(layer) == 'InnerProduct' for layer in kept) == 0:
        while kept and layer_type(kept[-1]) == 'Pooling':
            cut = chain.index(kept.pop())
    return kept, [layer.name for layer in chain[cut:]]


def _units(kept: List[Message]) -> List[List[Message]]:
    """``kept`` with each BatchNorm and the Scale right after it (its affine part in Caffe) as one unit."""
    units: List[List[Message]] = []
    for layer in kept:
        if layer_type(layer) == 'Scale' and units and len(units[-1]) == 1 and layer_type(units[-1][0]) == 'BatchNorm':
            units[-1].append(layer)
        else:
            units.append([layer])
    return units


def _candidates():
    """Every mmmotion.AlexNet layout setting: arch, BN or LRN, and (with LRN) the LRN's place."""
    for arch, spec in ARCHS.items():
        for with_bn in (False, True):
            for lrn_after_pool in ((False, True) if spec['lrn'] and not with_bn else (False, )):
                yield dict(dict(arch=arch), **(dict(with_bn=True) if with_bn else {}),
                           **(dict(lrn_after_pool=True) if lrn_after_pool else {}))


def match_alexnet(kept: List[Message], source: str) -> Tuple[Dict[str, object], List[Tuple[str, List[Message]]]]:
    """The ``mmmotion.AlexNet`` settings whose layout the Caffe layers ``kept`` compute, and (stage, layers) of
    every weighted layer and BatchNorm (+ Scale). No match: a ``ValueError`` naming the first Caffe layer that
    differs from the closest layout and what that layout has there."""
    with_fc = any(layer_type(layer) == 'InnerProduct' for layer in kept)
    units = _units(kept)
    kept = [unit[0] for unit in units]
    signatures = [layer_signature(layer) for layer in kept]
    best = None
    for settings in _candidates():
        layout = alexnet_layout(settings, with_fc)
        if [sig for _, sig in layout] == signatures:
            return settings, [(stage, unit) for (stage, sig), unit in zip(layout, units)
                              if sig[0] in ('Convolution', 'InnerProduct', 'BatchNorm')]
        common = next((i for i, (a, (_, b)) in enumerate(zip(signatures, layout)) if a != b),
                      min(len(signatures), len(layout)))
        if best is None or common > best[0]:
            best = (common, settings, layout)
    common, settings, layout = best
    theirs = (f'layer {kept[common].name!r} computes {_describe(signatures[common])}' if common < len(kept)
              else f'the net ends after layer {kept[-1].name!r}' if kept else 'the net has no layers')
    ours = (f'{layout[common][0]} of mmmotion.AlexNet({settings}) has {_describe(layout[common][1])} there'
            if common < len(layout) else f'mmmotion.AlexNet({settings}) ends there')
    raise ValueError(f'{source}: not an mmmotion.AlexNet layout: {theirs}, but {ours} (matched '
                     f'{common} layers; mmmotion.AlexNet has conv-relu-LRN-pool or, with lrn_after_pool, '
                     'conv-relu-pool-LRN, or conv-BatchNorm(+Scale)-relu-pool with BN; no other layer types)')


def expand_groups(weight: np.ndarray, groups: int) -> np.ndarray:
    """A grouped conv's (out, in/groups, kh, kw) weight as the block-diagonal (out, in, kh, kw) full conv."""
    if groups == 1:
        return weight
    out, group_in = weight.shape[:2]
    group_out = out // groups
    full = np.zeros((out, group_in * groups) + weight.shape[2:], dtype=weight.dtype)
    for g in range(groups):
        rows = slice(g * group_out, (g + 1) * group_out)
        full[rows, g * group_in:(g + 1) * group_in] = weight[rows]
    return full


def fold_bgr_input(weight: np.ndarray, bias: np.ndarray, mean_bgr: Sequence[float],
                   scale: float) -> Tuple[np.ndarray, np.ndarray]:
    """conv1 for mmmotion's input (RGB, (x - MMMOTION_MEAN_RGB) / MMMOTION_STD_RGB) computing what ``weight``,
    ``bias`` compute on Caffe's (BGR x - mean_bgr) * scale. Exact for an unpadded conv1: with
    raw_rgb = x_m * std + m, Caffe's channel k sees scale * (raw_rgb[2 - k] - mean_bgr[k])."""
    weight, bias = weight.astype(np.float64), bias.astype(np.float64)
    std, mean_rgb = np.asarray(MMMOTION_STD_RGB), np.asarray(MMMOTION_MEAN_RGB)
    folded = scale * weight[:, ::-1] * std[None, :, None, None]  # column c of RGB = Caffe's channel 2 - c
    shift = scale * (mean_rgb[::-1] - np.asarray(mean_bgr, dtype=np.float64))  # per BGR channel
    folded_bias = bias + (weight.sum(axis=(2, 3)) * shift[None, :]).sum(1)
    return folded.astype(np.float32), folded_bias.astype(np.float32)


def _input_size(net: Message, producer: Optional[Message]) -> Optional[Tuple[int, int]]:
    """The input H, W the net declares (crop_size, input_shape, input_dim or an Input layer), if any."""
    if producer is not None and producer.HasField('transform_param') and producer.transform_param.crop_size:
        return (producer.transform_param.crop_size, ) * 2
    shapes = list(net.input_shape)
    if producer is not None and 'input_param' in producer.DESCRIPTOR.fields_by_name:
        shapes += list(producer.input_param.shape)
    if shapes and len(shapes[0].dim) == 4:
        return int(shapes[0].dim[2]), int(shapes[0].dim[3])
    if len(net.input_dim) >= 4:
        return int(net.input_dim[2]), int(net.input_dim[3])
    return None


def pooling_warnings(kept: List[Message], size: Optional[Tuple[int, int]]) -> List[str]:
    """Caffe pools round their output size up, torch's down: the pools where that changes the map at ``size``."""
    if size is None:
        return []
    warnings, hw = [], size
    for layer in kept:
        if layer_type(layer) == 'Convolution':
            (kh, kw), (sh, sw), (ph, pw) = _conv_geometry(layer.convolution_param)
            hw = ((hw[0] + 2 * ph - kh) // sh + 1, (hw[1] + 2 * pw - kw) // sw + 1)
        elif layer_type(layer) == 'Pooling':
            param = layer.pooling_param
            (kh, kw), (sh, sw), (ph, pw) = _pool_geometry(param)
            floor = ((hw[0] + 2 * ph - kh) // sh + 1, (hw[1] + 2 * pw - kw) // sw + 1)
            ceil = (math.ceil((hw[0] + 2 * ph - kh) / sh) + 1, math.ceil((hw[1] + 2 * pw - kw) / sw) + 1)
            if ceil != floor and param.round_mode == 0:
                warnings.append(f'{layer.name}: Caffe rounds up to {ceil}, mmmotion.AlexNet gives {floor} at the '
                                f'declared {size[0]}x{size[1]} input (other sizes may agree)')
            hw = ceil if param.round_mode == 0 else floor
    return warnings


def _blobs(model: Dict[str, Message], name: str, source: str) -> List[np.ndarray]:
    if name not in model:
        raise KeyError(f'{source}: no weights for layer {name!r} (the caffemodel has layers '
                       f'{sorted(n for n, layer in model.items() if len(layer.blobs))})')
    return [blob_array(blob, f'{source}, layer {name!r} blob {i}') for i, blob in enumerate(model[name].blobs)]


def caffe_alexnet_weights(layers: List[Tuple[str, List[Message]]], model: Dict[str, Message],
                          source: str) -> 'OrderedDict[str, torch.Tensor]':
    """conv1..fc7 weights (``<stage>.conv|fc.weight|bias``) from the blobs of the caffemodel layers ``model``
    (by name), groups expanded; ``layers`` are the (stage, layers) of :func:`match_alexnet` (BatchNorm units
    are left to :func:`batchnorm_weights`)."""
    weights, in_channels = OrderedDict(), 3
    for stage, (layer, *_) in layers:
        if layer_type(layer) == 'BatchNorm':
            continue
        blobs = _blobs(model, layer.name, source)
        conv = layer_type(layer) == 'Convolution'
        param = layer.convolution_param if conv else layer.inner_product_param
        if not blobs or len(blobs) < (2 if param.bias_term else 1):
            raise ValueError(f'{source}: layer {layer.name!r} has {len(blobs)} blobs, expected '
                             f'{2 if param.bias_term else 1}')
        weight = blobs[0]
        if conv:
            groups = param.group
            expected = (param.num_output, in_channels // groups) + _conv_geometry(param)[0]
            if weight.shape != expected or in_channels % groups:
                raise ValueError(f'{source}: layer {layer.name!r} weight has shape {weight.shape}, expected {expected} '
                                 f'({in_channels} input channels in {groups} groups)')
            weight, in_channels = expand_groups(weight, groups), param.num_output
        else:
            weight = weight.reshape(param.num_output, -1) if weight.size % param.num_output == 0 else weight
            fan_in = in_channels * 36 if stage == 'fc6' else in_channels
            if weight.shape != (param.num_output, fan_in):
                raise ValueError(f'{source}: layer {layer.name!r} weight has shape '
                                 f'{blob_shape(model[layer.name].blobs[0])}, expected {param.num_output} x {fan_in}')
            in_channels = param.num_output
        bias = blobs[1].reshape(-1) if param.bias_term else np.zeros(param.num_output, np.float32)
        if bias.size != param.num_output:
            raise ValueError(f'{source}: layer {layer.name!r} bias has {bias.size} values, expected {param.num_output}')
        kind = 'conv' if conv else 'fc'
        weights[f'{stage}.{kind}.weight'] = torch.from_numpy(np.array(weight, dtype=np.float32))  # a copy: blobs
        weights[f'{stage}.{kind}.bias'] = torch.from_numpy(np.array(bias, dtype=np.float32))  # are read-only views
    return weights


def batchnorm_weights(stage: str, unit: List[Message], layer_bias: np.ndarray, model: Dict[str, Message],
                      source: str) -> Dict[str, torch.Tensor]:
    """``<stage>.bn.*`` of a Caffe BatchNorm (blobs: mean and variance sums, their moving-average factor) and
    its Scale (gamma, beta). The conv/fc bias before it (mmmotion's BN AlexNet has none) moves into the mean:
    BN(Wx + b) uses Wx - (mean - b). A Caffe eps other than torch's 1e-5 moves into the variance."""
    blobs = _blobs(model, unit[0].name, source)
    if len(blobs) != 3:
        raise ValueError(f'{source}: BatchNorm layer {unit[0].name!r} has {len(blobs)} blobs, expected 3 '
                         '(mean, variance, moving-average factor)')
    factor = float(blobs[2].reshape(-1)[0])
    factor = 0.0 if factor == 0 else 1.0 / factor  # Caffe's own rule
    mean = blobs[0].reshape(-1).astype(np.float64) * factor - layer_bias
    var = blobs[1].reshape(-1).astype(np.float64) * factor + (unit[0].batch_norm_param.eps - BN_EPS)
    gamma, beta = np.ones_like(mean), np.zeros_like(mean)
    if len(unit) == 2:
        scale = _blobs(model, unit[1].name, source)
        gamma = scale[0].reshape(-1)
        beta = scale[1].reshape(-1) if unit[1].scale_param.bias_term else beta
    if not mean.size == var.size == gamma.size == beta.size == layer_bias.size:
        raise ValueError(f'{source}: BatchNorm layer {unit[0].name!r} (with its Scale) has blobs of sizes '
                         f'{[mean.size, var.size, gamma.size, beta.size]}, expected {layer_bias.size} each')
    values = dict(weight=gamma, bias=beta, running_mean=mean, running_var=var)
    bn = {f'{stage}.bn.{key}': torch.tensor(np.asarray(value), dtype=torch.float32) for key, value in values.items()}
    bn[f'{stage}.bn.num_batches_tracked'] = torch.tensor(0)
    return bn


def _caffe_mean(producer: Optional[Message], mean: Optional[Sequence[float]], mean_file: Optional[str],
                scale: Optional[float]) -> Tuple[Tuple[float, ...], float, str]:
    """The BGR mean and scale Caffe applied: given, else the data layer's transform_param, else BVLC's."""
    transform = producer.transform_param if producer is not None and producer.HasField('transform_param') else None
    if scale is None:
        scale = transform.scale if transform is not None else 1.0
    if mean is None and mean_file:
        mean, origin = mean_from_binaryproto(mean_file), f'mean image {mean_file}'
    elif mean is None and transform is not None and len(transform.mean_value):
        mean, origin = list(transform.mean_value), f'mean_value of layer {producer.name!r}'
    elif mean is None:
        mean, origin = BVLC_MEAN_BGR, 'BVLC ImageNet mean (default)'
        if transform is not None and transform.mean_file:
            origin += f'; layer {producer.name!r} names mean_file {transform.mean_file!r}: pass it as --mean-file'
    else:
        origin = 'given'
    mean = tuple(float(m) for m in mean)
    if len(mean) == 1:
        mean = mean * 3
    if len(mean) != 3:
        raise ValueError(f'the mean needs 1 or 3 values (B, G, R), got {mean}')
    return mean, float(scale), origin


def convert_caffe_alexnet(caffemodel: str, output: str, prototxt: Optional[str] = None, caffe_input: str = 'auto',
                          mean: Optional[Sequence[float]] = None, mean_file: Optional[str] = None,
                          scale: Optional[float] = None, fold_input: bool = True) -> Dict[str, object]:
    """Write ``output``, the ``mmmotion.AlexNet`` checkpoint of a Caffe AlexNet/CaffeNet.

    Args:
        caffemodel: the weights (binary NetParameter, ``layer`` or V1 ``layers`` format).
        prototxt: the net (deploy or train_val); default the structure stored in the caffemodel itself.
        caffe_input: what the net's first conv sees: ``'bgr'`` (Caffe's raw BGR 0-255 minus ``mean``, times
            ``scale``), ``'rgb-normalized'`` (mmmotion's input already, as after pathak22's
            TorchImageTransformLayer) or ``'auto'`` (rgb-normalized when that layer feeds conv1, else bgr).
        mean, mean_file, scale: Caffe's BGR mean (values or a ``.binaryproto`` mean image) and input scale for
            ``'bgr'``; default the prototxt's transform_param, else BVLC's ImageNet mean and scale 1.
        fold_input: fold Caffe's input convention into conv1 (False keeps conv1 as is: the config must then
            feed BGR with ``mean``, std ``1/scale``).
    """
    if caffe_input not in INPUTS:
        raise ValueError(f'caffe_input must be one of {INPUTS}, got {caffe_input!r}')
    weights_net = read_caffemodel(caffemodel)
    source = prototxt or caffemodel
    net = read_prototxt(prototxt) if prototxt else weights_net
    chain, producer = caffe_chain(net, source)
    kept, dropped = _backbone_part(chain)
    for layer in kept:
        if layer_type(layer) not in LAYER_TYPES:
            raise ValueError(f'{source}: layer {layer.name!r} of type {layer_type(layer)} has no counterpart in '
                             f'mmmotion.AlexNet (it maps {", ".join(LAYER_TYPES)})')
    settings, stages = match_alexnet(kept, source)
    transform = (producer is not None and layer_type(producer) == 'Python'
                 and producer.python_param.layer == TORCH_TRANSFORM)
    if producer is not None and not transform and layer_type(producer) not in DATA_TYPES:
        raise ValueError(f'{source}: layer {producer.name!r} ({layer_type(producer)}) transforms the input of '
                         f'{kept[0].name!r}; only data layers and {TORCH_TRANSFORM} are understood')
    if caffe_input == 'auto':
        caffe_input = 'rgb-normalized' if transform else 'bgr'
    model = {layer.name: layer for layer in net_layers(weights_net, caffemodel)}
    weights = caffe_alexnet_weights(stages, model, caffemodel)
    input_note = 'RGB normalised by ImageNet mean/std (as mmmotion configs feed it): conv1 unchanged'
    if caffe_input == 'bgr':
        mean_bgr, scale, origin = _caffe_mean(producer, mean, mean_file, scale)
        conv1 = stages[0][1][0]
        caffe_note = f'BGR 0-255 minus mean {[round(m, 3) for m in mean_bgr]} ({origin}), times {scale:g}'
        if not fold_input:
            input_note = f'Caffe\'s, not folded: feed {caffe_note}'
        elif any(_conv_geometry(conv1.convolution_param)[2]):
            raise ValueError(f'{source}: layer {conv1.name!r} is padded, so Caffe\'s mean cannot be folded into it '
                             'exactly (its zero padding is the mean colour in Caffe, black in mmmotion); convert '
                             'with fold_input=False (--no-fold) and feed Caffe\'s input convention instead')
        else:
            folded = fold_bgr_input(weights['conv1.conv.weight'].numpy(), weights['conv1.conv.bias'].numpy(),
                                    mean_bgr, scale)
            weights['conv1.conv.weight'], weights['conv1.conv.bias'] = map(torch.from_numpy, folded)
            input_note = f'Caffe took {caffe_note}: folded into conv1 for mmmotion\'s RGB mean/std input'
    for stage, unit in stages:  # BN AlexNet: the conv/fc bias (folded input included) goes into BN's mean
        if layer_type(unit[0]) == 'BatchNorm':
            kind = 'conv' if stage.startswith('conv') else 'fc'
            layer_bias = weights.pop(f'{stage}.{kind}.bias').numpy().astype(np.float64)
            weights.update(batchnorm_weights(stage, unit, layer_bias, model, caffemodel))
    weighted = {stage: unit[0].name for stage, unit in stages if layer_type(unit[0]) != 'BatchNorm'}
    meta = dict(source=osp.abspath(caffemodel), prototxt=osp.abspath(prototxt) if prototxt else None,
                converter='caffe', layers=weighted, dropped=dropped,
                input=input_note, warnings=pooling_warnings(kept, _input_size(net, producer)))
    try:
        return save_alexnet_checkpoint(weights, settings, output, meta)
    except ValueError as err:
        raise ValueError(f'{caffemodel}: {err}') from err
