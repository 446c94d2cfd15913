"""Print a config as mmengine resolves it (``_base_`` files and ``--cfg-options`` merged) and, for a uNLC or a
generation config, every setting a run would use: uNLC's stages and groups with ``UNLC.DEFAULTS`` and the stage
functions' defaults merged in (:attr:`mmmotion.unlc.UNLC.settings`, from building it as a run does), and the
generator's settings as the generator records them in ``meta.json`` (:meth:`GeneratorConfig.to_dict`).

Usage::

    python tools/misc/print_config.py configs/unlc/default.py --cfg-options unlc.voting.restart=0.0
    python tools/misc/print_config.py configs/unlc/generate_dataset.py --cfg-options generator.max_shot_len=30
    python tools/misc/print_config.py configs/motionmask/motionmask_alexnet_8xb32-80k_unlc.py
"""
import argparse
import pprint
import sys
from typing import Any, Dict, Optional

from mmengine.config import Config

from mmmotion.utils.config import add_cfg_options, load_config


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('config', help='config file path')
    add_cfg_options(parser, 'override config keys, e.g. unlc.max_side=480 generator.max_shot_len=30')
    return parser.parse_args(argv)


def effective_settings(cfg: Dict[str, Any]) -> Dict[str, Any]:
    """What a run of the resolved config ``cfg`` uses: ``unlc`` (every uNLC setting, defaults merged in) for a
    config with a ``unlc`` dict or a generation config using uNLC, and ``generator`` / ``segmenter`` for a
    generation config. Empty for other configs. Raises as a run would on a bad key (the message names it)."""
    from mmmotion.pseudo_gt.generate import DEFAULT_SEGMENTER, GENERATOR_KEYS
    out: Dict[str, Any] = {}
    is_generation = any(key in cfg for key in GENERATOR_KEYS)
    if is_generation:
        from mmmotion.pseudo_gt.process import GeneratorConfig
        out['segmenter'] = cfg.get('segmenter', DEFAULT_SEGMENTER)
        out['generator'] = GeneratorConfig.from_dict(dict(cfg.get('generator') or {})).to_dict()
    uses_unlc = isinstance(cfg.get('unlc'), dict) or (is_generation and out['segmenter'] == DEFAULT_SEGMENTER)
    if uses_unlc:
        from mmmotion.unlc import UNLC
        out['unlc'] = UNLC.from_config(cfg.get('unlc') or {}).settings
    return out


def format_settings(name: str, settings: Any) -> str:
    """``name = <settings>`` as mmengine writes configs (a value it cannot write as Python: pprint's text)."""
    try:
        return Config({name: settings}).pretty_text.strip()
    except Exception:  # a built object or a value without a literal form
        return f'{name} = {pprint.pformat(settings, sort_dicts=False)}'


def config_text(config: str, options: Optional[Dict[str, Any]] = None) -> str:
    """The text :func:`main` prints for the config file ``config`` with ``--cfg-options`` ``options``."""
    cfg = load_config(config, options)
    parts = [Config(cfg).pretty_text.strip()]
    effective = effective_settings(cfg)
    titles = dict(segmenter='the segmentation function',
                  generator='generator settings as the generator records them (frame rules\' defaults merged in)',
                  unlc='uNLC settings in effect (UNLC.DEFAULTS and the stage functions\' defaults merged in)')
    for key in ('segmenter', 'generator', 'unlc'):
        if key in effective:
            parts.append(f'# Effective: {titles[key]}\n{format_settings(key, effective[key])}')
    return '\n\n'.join(parts) + '\n'


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        text = config_text(args.config, args.cfg_options)
    except (FileNotFoundError, TypeError, KeyError, ValueError) as error:
        print(f'error: {args.config}: {error}', file=sys.stderr)
        return 1
    sys.stdout.write(text)
    return 0
