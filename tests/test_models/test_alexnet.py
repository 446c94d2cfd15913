import pytest
import torch
from torch.nn.modules.batchnorm import _BatchNorm

from mmmotion.models import AlexNet
from mmmotion.models.backbones.alexnet import STAGE_NAMES


def build_through(registry_module: str, **kwargs):
    import importlib
    registry = importlib.import_module(registry_module).MODELS
    import mmmotion.models  # noqa: F401  (what custom_imports does in a config)
    return registry.build(dict(type='mmmotion.AlexNet', **kwargs))


@pytest.mark.parametrize('registry_module', ['mmdet.registry', 'mmseg.registry', 'mmpretrain.registry'])
def test_builds_through_each_toolbox_registry(registry_module):
    model = build_through(registry_module, out_indices=(4, 6))
    assert isinstance(model, AlexNet)
    conv5, fc7 = model(torch.rand(1, 3, 227, 227))
    assert conv5.shape == (1, 256, 13, 13)
    assert fc7.shape == (1, 4096)


def test_all_stage_shapes_at_227():
    model = AlexNet(out_indices=tuple(range(7))).eval()
    outs = model(torch.rand(2, 3, 227, 227))
    shapes = [tuple(o.shape[1:]) for o in outs]
    assert shapes == [(96, 55, 55), (256, 27, 27), (384, 13, 13), (384, 13, 13), (256, 13, 13),
                      (4096, ), (4096, )]


@pytest.mark.parametrize('size', [(100, 100), (187, 250), (320, 241)])
def test_fully_conv_any_size(size):
    model = AlexNet(fully_conv=True, out_indices=(0, 1, 2, 3, 4), with_bn=True).eval()
    outs = model(torch.rand(1, 3, *size))
    for out, stride in zip(outs, (4, 8, 16, 16, 16)):
        assert tuple(out.shape[-2:]) == (-(-size[0] // stride), -(-size[1] // stride))
    assert not hasattr(model, 'fc6')


def test_fc_stages_reject_wrong_size_with_clear_message():
    with pytest.raises(ValueError, match='fully_conv=True'):
        AlexNet(out_indices=(6, ))(torch.rand(1, 3, 300, 300))
    # conv stages alone accept any size (detection feeds whole images)
    conv5, = AlexNet(out_indices=(4, ))(torch.rand(1, 3, 300, 400))
    assert conv5.shape[1] == 256


def test_bad_out_index_names_the_valid_stages():
    with pytest.raises(ValueError, match='conv1'):
        AlexNet(fully_conv=True, out_indices=(5, ))


@pytest.mark.parametrize('with_bn', [False, True])
@pytest.mark.parametrize('frozen_stages', [-1, 0, 1, 2, 3, 4, 5, 6, 7])
def test_frozen_stages_freeze_exactly_those(frozen_stages, with_bn):
    model = AlexNet(frozen_stages=frozen_stages, with_bn=with_bn)
    model.train()
    for index, name in enumerate(STAGE_NAMES):
        stage = getattr(model, name)
        frozen = index < frozen_stages
        assert all(p.requires_grad != frozen for p in stage.parameters()), name
        for module in stage.modules():
            if isinstance(module, _BatchNorm):
                assert module.training != frozen, name
    # a training step leaves frozen stages untouched (incl. BN running stats) and moves the rest
    before = {k: v.clone() for k, v in model.state_dict().items()}
    params = [p for p in model.parameters() if p.requires_grad]
    if params:
        optimizer = torch.optim.SGD(params, lr=0.1)
        model(torch.rand(2, 3, 227, 227))[0].sum().backward()
        optimizer.step()
    for key, value in model.state_dict().items():
        stage_index = STAGE_NAMES.index(key.split('.')[0])
        if stage_index < frozen_stages:
            assert torch.equal(value, before[key]), key
    trainable = [n for n in STAGE_NAMES[max(frozen_stages, 0):]]
    if trainable:
        key = f'{trainable[0]}.{"conv" if trainable[0].startswith("conv") else "fc"}.weight'
        assert not torch.equal(model.state_dict()[key], before[key])


def test_norm_eval_keeps_all_bn_in_eval():
    model = AlexNet(with_bn=True, norm_eval=True).train()
    assert all(not m.training for m in model.modules() if isinstance(m, _BatchNorm))


def test_frozen_stages_out_of_range():
    with pytest.raises(ValueError, match='frozen_stages'):
        AlexNet(fully_conv=True, frozen_stages=6)


def test_pretrained_init_with_prefix(tmp_path):
    source = AlexNet(with_bn=True)
    checkpoint = {'state_dict': {f'backbone.{k}': v for k, v in source.state_dict().items()},
                  'meta': {}}
    path = str(tmp_path / 'ckpt.pth')
    torch.save(checkpoint, path)
    model = AlexNet(with_bn=True, init_cfg=dict(type='Pretrained', checkpoint=path, prefix='backbone.'))
    model.init_weights()
    for key, value in source.state_dict().items():
        assert torch.equal(model.state_dict()[key], value), key
