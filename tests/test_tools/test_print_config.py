"""tools/misc/print_config.py: the resolved config, and for uNLC and generation configs every setting a run uses."""
import inspect
import json
import os.path as osp

import pytest

from mmmotion.experiments.print_config import config_text, effective_settings, main
from mmmotion.pseudo_gt.generate import generate_dataset
from mmmotion.unlc import UNLC
from mmmotion.utils.config import load_config

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = osp.join(REPO_ROOT, 'configs', 'unlc')


def test_unlc_settings_hold_every_default_and_the_options():
    cfg = load_config(osp.join(CONFIGS, 'default.py'), {'unlc.voting.restart': 0.0, 'unlc.motion.size': 100})
    unlc = effective_settings(cfg)['unlc']
    assert unlc['voting'] == dict(UNLC.DEFAULTS['voting'], restart=0.0)
    assert unlc['motion']['size'] == 100 and unlc['max_side'] == UNLC.DEFAULTS['max_side']
    # every keyword of a group's functions is there, with the function's default unless DEFAULTS sets it
    for group, functions in UNLC.GROUP_FUNCTIONS.items():
        for func, n_inputs in functions:
            for p in list(inspect.signature(func).parameters.values())[n_inputs:]:
                if p.default is not inspect.Parameter.empty and p.name not in UNLC.DEFAULTS[group] \
                        and (group, p.name) != ('motion', 'size'):
                    assert unlc[group][p.name] == p.default, (group, p.name)
    # a stage's own defaults are filled in: a function stage's keywords, a class's constructor defaults
    from mmmotion.unlc.superpixels import opencv_slic_superpixels
    spx = inspect.signature(opencv_slic_superpixels).parameters
    assert unlc['superpixels']['type'] == 'OpenCVSLICSuperpixels'
    assert set(unlc['superpixels']) == {'type'} | set(list(spx)[1:])
    assert unlc['superpixels']['n_segments'] == UNLC.DEFAULTS['superpixels']['n_segments']
    from mmmotion.unlc.postprocess import GrabCutRefiner
    refiner = inspect.signature(GrabCutRefiner).parameters
    assert {k: unlc['postprocess']['refiner'][k] for k in refiner} == {k: p.default for k, p in refiner.items()}
    # what is printed is a config: built again it gives the same settings
    assert UNLC.from_config(unlc).settings == unlc


def test_generation_settings_are_what_the_generator_records(tmp_path):
    cfg = load_config(osp.join(CONFIGS, 'generate_dataset.py'), {'generator.max_shot_len': 30})
    effective = effective_settings(cfg)
    generate_dataset([], str(tmp_path / 'ds'), cfg=cfg)  # no video: it only records its settings
    meta = json.load(open(tmp_path / 'ds' / 'meta.json'))
    assert json.loads(json.dumps(effective['generator'])) == meta['generator']
    assert effective['generator']['max_shot_len'] == 30
    assert effective['segmenter'] == 'mmmotion.apis.segment.segment_video' and 'unlc' in effective


def test_print_config_prints_the_config_then_the_effective_settings(capsys):
    assert main([osp.join(CONFIGS, 'fast.py'), '--cfg-options', 'unlc.voting.n_rounds=3']) == 0
    out = capsys.readouterr().out
    config, effective = out.split('# Effective: uNLC settings')
    assert "type='DISFlow'" in config and 'n_rounds=3' in config and 'temporal_radius=10' in config
    assert 'n_rounds=3' in effective and 'n_iters=50' in effective and 'restart=0.1' in effective
    assert "type='DISFlow'" in effective and "preset='medium'" in effective
    # a config that is neither uNLC nor a generator's: only the config
    text = config_text(osp.join(REPO_ROOT, 'configs', 'motionmask', 'motionmask_alexnet-bn_1xb8-100it_tiny.py'))
    assert '# Effective' not in text and 'model = dict(' in text


def test_a_bad_key_is_named(capsys):
    assert main([osp.join(CONFIGS, 'default.py'), '--cfg-options', 'unlc.graph.bogus=1']) == 1
    err = capsys.readouterr().err
    assert 'bogus' in err and 'default.py' in err
    assert main([osp.join(CONFIGS, 'missing.py')]) == 1
    assert 'missing.py' in capsys.readouterr().err


@pytest.mark.e2e
def test_the_tool_runs_as_a_user_runs_it():
    from tool_runner import run_tool
    proc = run_tool('tools/misc/print_config.py', osp.join(CONFIGS, 'generate_dataset.py'), '--cfg-options',
                    'generator.frame_selection.min_quality=0.5')
    assert '# Effective: generator settings' in proc.stdout and 'min_quality=0.5' in proc.stdout
