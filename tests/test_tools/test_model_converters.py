"""Converters to mmmotion.AlexNet, checked layer by layer against the source nets.

Every source model is built here with random weights: torchvision's own ``alexnet()``, and Caffe nets written
with mmmotion's caffe.proto descriptors (both formats, groups, LRN in both orders, TorchImageTransformLayer).
The Caffe reference is a float64 functional forward with Caffe's semantics (BGR 0-255 minus mean, grouped
convs, LRN by its formula, pools rounding up) on the same image. A converted checkpoint is loaded the way the
transfer configs load it (``init_cfg=dict(type='Pretrained')``) and every stage output must match the
reference to 1e-5 of the reference's largest magnitude in that stage (float32 vs float64 sums).
"""
import os.path as osp
import struct

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from google.protobuf import text_format

from mmmotion.model_conversion import convert_caffe_alexnet, convert_torchvision_alexnet
from mmmotion.model_conversion.caffe_alexnet import BVLC_MEAN_BGR, expand_groups
from mmmotion.model_conversion.caffe_proto import CAFFE, CAFFE_PACKED, blob_array, write_caffemodel
from mmmotion.models import AlexNet
from tool_runner import run_tool

MEAN_RGB, STD_RGB = (123.675, 116.28, 103.53), (58.395, 57.12, 57.375)
TOLERANCE = 1e-5
CAFFENET_WIDTHS, TORCHVISION_WIDTHS = (96, 256, 384, 384, 256), (64, 192, 384, 256, 256)


# ---------------------------------------------------------------- Caffe nets written here

def alexnet_spec(widths=CAFFENET_WIDTHS, lrn: str = 'before_pool', with_fc: bool = True, conv1_pad: int = 0,
                 groups=(1, 2, 1, 2, 2), lrn_size: int = 5):
    """(name, type, params) of a Caffe AlexNet; ``lrn``: 'before_pool' (bvlc_alexnet), 'after_pool' (CaffeNet)
    or 'none'."""
    def conv(i, kernel, stride=1, pad=1):
        return (f'conv{i}', 'Convolution', dict(num_output=widths[i - 1], kernel_size=[kernel], stride=[stride],
                                                pad=[pad], group=groups[i - 1]))
    norm = [('norm{}', 'LRN', dict(local_size=lrn_size, alpha=1e-4, beta=0.75))] if lrn != 'none' else []
    pool = [('pool{}', 'Pooling', dict(pool=0, kernel_size=3, stride=2))]
    after = {'before_pool': norm + pool, 'after_pool': pool + norm, 'none': pool}[lrn]
    spec = []
    for i in (1, 2):
        spec += [conv(i, 11 if i == 1 else 5, 4 if i == 1 else 1, conv1_pad if i == 1 else 2),
                 (f'relu{i}', 'ReLU', {})] + [(n.format(i), t, p) for n, t, p in after]
    spec += [conv(3, 3), ('relu3', 'ReLU', {}), conv(4, 3), ('relu4', 'ReLU', {}), conv(5, 3), ('relu5', 'ReLU', {}),
             ('pool5', 'Pooling', dict(pool=0, kernel_size=3, stride=2))]
    if with_fc:
        for i, width in ((6, 4096), (7, 4096), (8, 10)):
            spec += [(f'fc{i}', 'InnerProduct', dict(num_output=width))]
            if i < 8:
                spec += [(f'relu{i}', 'ReLU', {}), (f'drop{i}', 'Dropout', {})]
    return spec


def random_params(spec, seed: int = 0):
    """name -> float32 blobs in Caffe's shapes: (weight[, bias]) of convs (grouped: in / group channels) and
    fcs, (mean, variance, moving-average factor 2) sums of BatchNorms, (gamma, beta) of Scales."""
    rng = np.random.default_rng(seed)
    params, channels, size = {}, 3, None
    for name, kind, p in spec:
        if kind == 'BatchNorm':
            params[name] = (rng.normal(0, 1, channels).astype(np.float32) * 2,
                            rng.uniform(0.5, 2, channels).astype(np.float32) * 2, np.array([2.0], np.float32))
            continue
        if kind == 'Scale':
            params[name] = (rng.uniform(0.5, 1.5, channels).astype(np.float32),
                            rng.normal(0, 0.5, channels).astype(np.float32))
            continue
        if kind == 'Convolution':
            shape = (p['num_output'], channels // p['group'], p['kernel_size'][0], p['kernel_size'][0])
            channels = p['num_output']
        elif kind == 'InnerProduct':
            size = channels * 36 if size is None else channels
            shape, channels = (p['num_output'], size), p['num_output']
        else:
            continue
        std = np.sqrt(2.0 / np.prod(shape[1:]))
        params[name] = (rng.normal(0, std, shape).astype(np.float32),
                        rng.normal(0, 0.1, shape[0]).astype(np.float32))[:2 if p.get('bias_term', True) else 1]
    return params


def v1_type(name: str) -> int:
    return CAFFE['V1LayerParameter'].DESCRIPTOR.fields_by_name['type'].enum_type.values_by_name[name].number


V1_NAMES = dict(Convolution='CONVOLUTION', ReLU='RELU', LRN='LRN', Pooling='POOLING', InnerProduct='INNER_PRODUCT',
                Dropout='DROPOUT', Data='DATA', SoftmaxWithLoss='SOFTMAX_LOSS')
PARAM_FIELDS = dict(Convolution='convolution_param', LRN='lrn_param', Pooling='pooling_param',
                    InnerProduct='inner_product_param', BatchNorm='batch_norm_param', Scale='scale_param')
IN_PLACE = ('ReLU', 'Dropout', 'BatchNorm', 'Scale')


def caffe_net(schema, spec, v1: bool, params=None, head=(), tail=()):
    """A NetParameter of ``schema`` with ``head`` layers (data), the ``spec`` chain from blob 'data' (ReLU and
    Dropout in place, as Caffe nets do) and ``tail`` layers; blobs from ``params`` when given."""
    net = schema['NetParameter']()
    bottom = 'data'
    for name, kind, p, extra in [(n, k, p, {}) for n, k, p in head] + [
            (n, k, p, dict(bottom=[bottom], top=None)) for n, k, p in spec] + [(n, k, p, {}) for n, k, p in tail]:
        layer = net.layers.add() if v1 else net.layer.add()
        layer.name = name
        layer.type = v1_type(V1_NAMES[kind]) if v1 else kind
        if 'top' in extra:
            top = bottom if kind in IN_PLACE else name
            layer.bottom.append(bottom)
            layer.top.append(top)
            bottom = top
        for key, value in p.items():
            if key in ('bottom', 'top'):
                getattr(layer, key).extend(value)
            elif key in ('include', 'transform_param', 'python_param', 'input_param'):
                text_format.Parse(value, getattr(layer, key).add() if key == 'include' else getattr(layer, key))
            else:
                target = getattr(layer, PARAM_FIELDS[kind])
                if isinstance(value, list):
                    getattr(target, key).extend(value)
                else:
                    setattr(target, key, value)
        if params is not None and name in params:
            for array in params[name]:
                blob = layer.blobs.add()
                if v1:  # the legacy 4-d shape, as 2014 caffemodels store it (bias: 1 x 1 x 1 x n)
                    blob.num, blob.channels, blob.height, blob.width = (1, ) * (4 - array.ndim) + array.shape
                else:
                    blob.shape.dim.extend(array.shape)
                if schema is CAFFE_PACKED:
                    blob.data.append(array.astype('<f4').tobytes())
                else:
                    blob.data.extend(array.ravel())
    return net


def write_net(tmp_path, stem, spec, params, v1=False, packed=True, head=(), tail=(), prototxt_extra=None):
    """Write ``stem``.caffemodel (blobs, through the packed or the float schema) and ``stem``.prototxt (text,
    without blobs, with ``prototxt_extra`` fields this converter does not model); returns both paths."""
    model = caffe_net(CAFFE_PACKED if packed else CAFFE, spec, v1, params, head, tail)
    model_path, proto_path = str(tmp_path / f'{stem}.caffemodel'), str(tmp_path / f'{stem}.prototxt')
    write_caffemodel(model, model_path)
    text = text_format.MessageToString(caffe_net(CAFFE, spec, v1, None, head, tail))
    for anchor, extra in (prototxt_extra or {}).items():
        text = text.replace(anchor, anchor + extra, 1)
    with open(proto_path, 'w') as f:
        f.write(text)
    return model_path, proto_path


def caffe_lrn(x, size, alpha, beta, k):
    """Caffe's across-channel LRN: x / (k + alpha / size * sum over `size` neighbouring channels of x^2)^beta."""
    squares = F.pad(x.pow(2), (0, 0, 0, 0, (size - 1) // 2, size // 2))
    window = sum(squares[:, i:i + x.shape[1]] for i in range(size))
    return x / (k + alpha / size * window).pow(beta)


def caffe_forward(spec, params, x):
    """Each layer's output (by layer name) of the Caffe net on ``x`` (its own input convention), in float64."""
    outs = {}
    for name, kind, p in spec:
        blobs = [torch.from_numpy(a).double() for a in params.get(name, ())]
        if kind == 'Convolution':
            x = F.conv2d(x, blobs[0], blobs[1] if len(blobs) > 1 else None, p['stride'][0], p['pad'][0],
                         groups=p['group'])
        elif kind == 'BatchNorm':  # Caffe stores sums: divide by the moving-average factor
            mean, var, factor = blobs
            x = (x - (mean / factor).view(-1, 1, 1)) / (var / factor + p.get('eps', 1e-5)).sqrt().view(-1, 1, 1)
        elif kind == 'Scale':
            x = x * blobs[0].view(-1, 1, 1) + blobs[1].view(-1, 1, 1)
        elif kind == 'ReLU':
            x = x.clamp_min(0)
        elif kind == 'LRN':
            x = caffe_lrn(x, p['local_size'], p['alpha'], p['beta'], 1.0)
        elif kind == 'Pooling':
            x = F.max_pool2d(x, p['kernel_size'], p['stride'], ceil_mode=True)  # Caffe rounds up
        elif kind == 'InnerProduct':
            x = x.flatten(1) @ blobs[0].T + blobs[1]
        outs[name] = x
    return outs


def images(seed: int = 0, size: int = 227):
    """The same random images as mmmotion's input (RGB, ImageNet mean/std) and as Caffe's raw BGR 0-255."""
    raw_rgb = torch.rand(2, 3, size, size, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * 255
    normalised = (raw_rgb - torch.tensor(MEAN_RGB).view(3, 1, 1)) / torch.tensor(STD_RGB).view(3, 1, 1)
    return normalised, raw_rgb.flip(1)


def bgr_minus(raw_bgr, mean_bgr, scale=1.0):
    return (raw_bgr - torch.tensor(mean_bgr, dtype=torch.float64).view(3, 1, 1)) * scale


def converted_alexnet(checkpoint: str, **settings) -> AlexNet:
    """The checkpoint loaded as the transfer configs load it (Pretrained init_cfg), every stage returned."""
    num_stages = 7 if settings.get('with_fc', True) else 5
    model = AlexNet(out_indices=tuple(range(num_stages)), **settings,
                    init_cfg=dict(type='Pretrained', checkpoint=checkpoint))
    model.init_weights()
    return model.eval()


def assert_stages_match(outs, refs, names):
    assert len(outs) == len(refs) == len(names)
    for out, ref, name in zip(outs, refs, names):
        assert out.shape == ref.shape, f'{name}: {tuple(out.shape)} vs {tuple(ref.shape)}'
        scale = ref.abs().max().item()
        assert scale > 1e-3, f'{name}: the reference is all but zero, the comparison would prove nothing'
        error = (out.double() - ref).abs().max().item() / scale
        assert error <= TOLERANCE, f'{name}: max error {error:.2e} of the output scale {scale:.3g}'


STAGES = ('conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'fc6', 'fc7')


# ---------------------------------------------------------------- torchvision

def test_torchvision_alexnet_layer_by_layer(tmp_path):
    import torchvision
    torch.manual_seed(0)
    source = torchvision.models.alexnet().eval()  # random init, no download
    path, output = str(tmp_path / 'alexnet_tv.pth'), str(tmp_path / 'converted.pth')
    torch.save(source.state_dict(), path)
    report = convert_torchvision_alexnet(path, output)
    assert report['alexnet'] == dict(arch='torchvision')
    assert report['dropped'] == ['classifier.6.weight', 'classifier.6.bias']
    model = converted_alexnet(output, arch='torchvision')
    for size in (224, 256):  # 256: pool5 is 7x7, torchvision's AdaptiveAvgPool2d(6) does work
        x = torch.rand(2, 3, size, size, generator=torch.Generator().manual_seed(size))
        refs, y = [], x
        with torch.no_grad():  # torchvision's own modules, in its order; kept after each ReLU
            for module in [*source.features, source.avgpool, torch.nn.Flatten(1), *source.classifier[:6]]:
                y = module(y)
                refs += [y.double()] if isinstance(module, torch.nn.ReLU) else []
            outs = model(x)
        assert_stages_match(outs, refs, STAGES)


def test_torchvision_converter_names_a_wrong_file(tmp_path):
    path = str(tmp_path / 'not_alexnet.pth')
    torch.save({'features.0.weight': torch.zeros(1)}, path)
    with pytest.raises(KeyError, match='not_alexnet.pth.*classifier.1.weight'):
        convert_torchvision_alexnet(path, str(tmp_path / 'out.pth'))


# ---------------------------------------------------------------- Caffe

def test_caffenet_layer_order_groups_and_fc_new_format(tmp_path):
    """BVLC CaffeNet's layout (conv-relu-pool-LRN, groups 2) in the current `layer` format, full size with
    fc6/fc7 and an fc8 head, deploy-style Input layer, default (BVLC) mean folded into conv1."""
    spec = alexnet_spec(lrn='after_pool')
    params = random_params(spec)
    head = [('data', 'Input', dict(top=['data'], input_param='shape { dim: 1 dim: 3 dim: 227 dim: 227 }'))]
    tail = [('prob', 'SoftmaxWithLoss', dict(bottom=['fc8', 'label'], top=['loss']))]
    model_path, proto_path = write_net(tmp_path, 'caffenet', spec, params, head=head, tail=tail)
    output = str(tmp_path / 'caffenet.pth')
    report = convert_caffe_alexnet(model_path, output, proto_path)
    assert report['alexnet'] == dict(arch='caffenet', lrn_after_pool=True) and not report['conv_only']
    assert torch.load(output, weights_only=True)['meta']['alexnet'] == report['alexnet']
    assert report['dropped'] == ['fc8', 'prob']
    assert report['layers'] == {stage: stage for stage in STAGES}
    assert report['warnings'] == []  # 227 px: Caffe's and torch's pool rounding agree
    normalised, raw_bgr = images()
    refs = caffe_forward(spec, params, bgr_minus(raw_bgr, BVLC_MEAN_BGR))
    with torch.no_grad():
        outs = converted_alexnet(output, lrn_after_pool=True)(normalised.float())
    assert_stages_match(outs, [refs[f'relu{i}'] for i in range(1, 8)], STAGES)


@pytest.mark.slow  # two runs of the tool in fresh interpreters (mmdet/mmseg imports): about 10 s
def test_bvlc_alexnet_v1_format_through_the_cli(tmp_path):
    """bvlc_alexnet's order (conv-relu-LRN-pool) in the V1 `layers` format, train_val style (TRAIN and TEST
    data layers with mean_value and scale, unmodelled fields in the prototxt), blobs through the float schema,
    conv layers only; converted by the CLI as a user runs it. A second run on a net whose conv2 differs must
    fail naming the prototxt and the layer."""
    spec = alexnet_spec(lrn='before_pool', with_fc=False)
    params = random_params(spec, seed=1)
    mean, scale = (100.0, 110.0, 120.0), 0.5
    transform = f'scale: {scale} crop_size: 227 ' + ' '.join(f'mean_value: {m}' for m in mean)
    head = [(f'data_{phase.lower()}', 'Data', dict(top=['data', 'label'], include=f'phase: {phase}',
                                                   transform_param=transform)) for phase in ('TRAIN', 'TEST')]
    extra = {'name: "conv1"\n': '  blobs_lr: 1\n  weight_decay: 1\n  some_future_field { a: 1 }\n'}
    model_path, proto_path = write_net(tmp_path, 'alexnet_v1', spec, params, v1=True, packed=False, head=head,
                                       prototxt_extra=extra)
    assert 'layers {' in open(proto_path).read() and 'some_future_field' in open(proto_path).read()
    output = str(tmp_path / 'alexnet_v1.pth')
    proc = run_tool('tools/model_converters/caffe_to_mmmotion.py', model_path, output, '--prototxt', proto_path)
    assert 'conv layers only' in proc.stdout
    assert "backbone=dict(type='mmmotion.AlexNet', arch='caffenet'" in proc.stdout
    normalised, raw_bgr = images(seed=1)
    refs = caffe_forward(spec, params, bgr_minus(raw_bgr, mean, scale))
    with torch.no_grad():
        outs = converted_alexnet(output, with_fc=False)(normalised.float())
    assert_stages_match(outs, [refs[name] for name in ('norm1', 'norm2', 'relu3', 'relu4', 'relu5')], STAGES[:5])

    bad_spec = [(n, k, dict(p, kernel_size=[3]) if n == 'conv2' else p) for n, k, p in spec]
    bad_model, bad_proto = write_net(tmp_path, 'bad', bad_spec, random_params(bad_spec), v1=True, head=head)
    proc = run_tool('tools/model_converters/caffe_to_mmmotion.py', bad_model, str(tmp_path / 'bad.pth'),
                    '--prototxt', bad_proto, check=False)
    assert proc.returncode != 0
    assert bad_proto in proc.stderr and "'conv2'" in proc.stderr and 'Convolution(256, (5, 5)' in proc.stderr
    assert not osp.exists(tmp_path / 'bad.pth')


def test_authors_models_keep_conv1_and_torchvision_widths(tmp_path):
    """pathak22's released Caffe models start with a Python TorchImageTransformLayer (BGR -> mmmotion's
    normalised RGB): conv1 is kept as is. Here with torchvision's widths (no LRN, conv1 padded), which also
    become arch='torchvision'; the same net read as raw BGR cannot fold the mean into its padded conv1."""
    spec = alexnet_spec(widths=TORCHVISION_WIDTHS, lrn='none', with_fc=False, conv1_pad=2, groups=(1, ) * 5)
    params = random_params(spec, seed=2)
    head = [('data_xform', 'Python', dict(bottom=['data_caffe'], top=['data'], python_param=(
        "module: 'image_transform_layer' layer: 'TorchImageTransformLayer'")))]
    model_path, proto_path = write_net(tmp_path, 'motionmask', spec, params, head=head)
    output = str(tmp_path / 'motionmask.pth')
    report = convert_caffe_alexnet(model_path, output, proto_path)
    assert report['alexnet'] == dict(arch='torchvision') and report['conv_only']
    assert 'conv1 unchanged' in report['input']
    weights = torch.load(output, weights_only=True)['state_dict']
    assert torch.equal(weights['conv1.conv.weight'], torch.from_numpy(params['conv1'][0]))
    normalised, _ = images(seed=2, size=224)
    refs = caffe_forward(spec, params, normalised)
    with torch.no_grad():
        outs = converted_alexnet(output, arch='torchvision', with_fc=False)(normalised.float())
    assert_stages_match(outs, [refs[f'relu{i}'] for i in range(1, 6)], STAGES[:5])

    with pytest.raises(ValueError, match="layer 'conv1' is padded"):
        convert_caffe_alexnet(model_path, str(tmp_path / 'x.pth'), proto_path, caffe_input='bgr')
    report = convert_caffe_alexnet(model_path, str(tmp_path / 'raw.pth'), proto_path, caffe_input='bgr',
                                   fold_input=False)
    assert 'not folded' in report['input']


def test_a_layout_mmmotion_cannot_build_is_refused_naming_the_layer(tmp_path):
    spec = alexnet_spec(with_fc=False, lrn_size=3)
    model_path, proto_path = write_net(tmp_path, 'lrn3', spec, random_params(spec))
    with pytest.raises(ValueError, match=r"lrn3.prototxt.*layer 'norm1' computes LRN\(3,.*has LRN\(5,"):
        convert_caffe_alexnet(model_path, str(tmp_path / 'x.pth'), proto_path)
    missing = [layer for layer in alexnet_spec(with_fc=False) if layer[0] != 'relu3']  # conv3 -> conv4 unrectified
    model_path, proto_path = write_net(tmp_path, 'norelu', missing, random_params(missing))
    with pytest.raises(ValueError, match="layer 'conv4'"):
        convert_caffe_alexnet(model_path, str(tmp_path / 'x.pth'), proto_path)


def test_group_expansion_is_the_grouped_conv():
    rng = np.random.default_rng(3)
    weight = rng.normal(size=(8, 3, 3, 3)).astype(np.float32)
    x = torch.from_numpy(rng.normal(size=(1, 6, 7, 7)).astype(np.float32))
    grouped = F.conv2d(x, torch.from_numpy(weight), groups=2)
    full = F.conv2d(x, torch.from_numpy(expand_groups(weight, 2)))
    assert torch.allclose(grouped, full, atol=1e-6)


def test_unpacked_and_double_blobs_are_read():
    """Blob data written unpacked (one fixed32 per value) or as doubles is read through the float schema."""
    values = [1.5, -2.0, 3.25]
    unpacked = b''.join(struct.pack('<Bf', (5 << 3) | 5, v) for v in values)  # field 5, wire type 5 (fixed32)
    shape = CAFFE['BlobShape'](dim=[3]).SerializeToString()
    raw = bytes([(7 << 3) | 2, len(shape)]) + shape + unpacked
    blob = CAFFE_PACKED['BlobProto'].FromString(raw)
    assert blob_array(blob, 'x').tolist() == values
    doubles = CAFFE['BlobProto'](double_data=values)
    doubles.shape.dim.append(3)
    assert blob_array(CAFFE_PACKED['BlobProto'].FromString(doubles.SerializeToString()), 'x').tolist() == values


def test_dense_head_takes_torchvision_widths_when_told():
    """The FCN skip head reads conv2 + conv5: 256 + 256 channels in CaffeNet, 192 + 256 in torchvision's AlexNet
    (docs/model_zoo.md: set decode_head.in_channels=(192, 256)); left at CaffeNet's it names the mismatch."""
    from mmmotion.models import FCNSkipHead
    backbone = AlexNet(arch='torchvision', fully_conv=True, out_indices=(1, 4)).eval()
    assert backbone.out_channels == TORCHVISION_WIDTHS
    feats = backbone(torch.rand(1, 3, 64, 80))
    head = FCNSkipHead(in_channels=(192, 256), in_index=(0, 1), channels=8, num_classes=3).eval()
    assert head(feats).shape == (1, 3, 8, 10)
    with pytest.raises(ValueError, match='192 channels'):
        FCNSkipHead(in_channels=(256, 256), in_index=(0, 1), channels=8, num_classes=3)(feats)


@pytest.mark.parametrize('settings', [dict(arch='torchvision'), dict(lrn_after_pool=True)])
def test_new_layouts_freeze_and_go_fully_convolutional(settings):
    model = AlexNet(frozen_stages=6, **settings).train()
    for index, stage in enumerate(STAGES):
        assert all(p.requires_grad == (index >= 6) for p in getattr(model, stage).parameters()), stage
    dense = AlexNet(fully_conv=True, out_indices=(0, 1, 2, 3, 4), **settings).eval()
    outs = dense(torch.rand(1, 3, 100, 130))
    assert [tuple(o.shape[-2:]) for o in outs] == [(25, 33), (13, 17), (7, 9), (7, 9), (7, 9)]
    assert [o.shape[1] for o in outs] == list(dense.out_channels)


def test_lrn_after_pool_needs_an_lrn():
    with pytest.raises(ValueError, match='lrn_after_pool'):
        AlexNet(arch='torchvision', lrn_after_pool=True)
    with pytest.raises(ValueError, match="unknown AlexNet arch 'vgg'"):
        AlexNet(arch='vgg')


def test_batchnorm_caffe_net_becomes_the_bn_alexnet(tmp_path):
    """A BN AlexNet in Caffe (conv [bias] - BatchNorm - Scale - ReLU, no LRN): the conv bias and the folded input
    move into BN's mean, Caffe's stored sums are divided by their factor, a non-default eps goes into the
    variance."""
    spec = []
    for name, kind, p in alexnet_spec(lrn='none', with_fc=False):
        if kind == 'Convolution':
            index = name[-1]
            spec += [(name, kind, dict(p, bias_term=index in '135')),
                     (f'bn{index}', 'BatchNorm', dict(eps=1e-3) if index == '3' else {}),
                     (f'scale{index}', 'Scale', dict(bias_term=True))]
        else:
            spec.append((name, kind, p))
    params = random_params(spec, seed=4)
    model_path, proto_path = write_net(tmp_path, 'bn', spec, params)
    output = str(tmp_path / 'bn.pth')
    report = convert_caffe_alexnet(model_path, output, proto_path)
    assert report['alexnet'] == dict(arch='caffenet', with_bn=True) and report['conv_only']
    normalised, raw_bgr = images(seed=4)
    refs = caffe_forward(spec, params, bgr_minus(raw_bgr, BVLC_MEAN_BGR))
    with torch.no_grad():
        outs = converted_alexnet(output, with_bn=True, with_fc=False)(normalised.float())
    assert_stages_match(outs, [refs[f'relu{i}'] for i in range(1, 6)], STAGES[:5])
