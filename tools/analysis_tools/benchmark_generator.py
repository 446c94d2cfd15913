"""Benchmark the pseudo-ground-truth generator: frames/s with 1 and 2 workers, local pool and Ray, and
where the lost scaling goes (mmmotion.experiments.generator_scaling).

Usage::

    python tools/analysis_tools/benchmark_generator.py ../shared/data/davis16_dev \
        [--videos blackswan car-shadow dog kite-surf parkour] [--config configs/unlc/generate_dataset.py] \
        [--cfg-options generator.max_shot_len=30] [--json FILE] [--no-write]
"""
import argparse
import shlex
import sys

from mmengine.config import DictAction

from mmmotion.experiments import generator_scaling as gs
from mmmotion.utils.config import load_config
from mmmotion.utils.markdown import check_heading, replace_section

HEADING = '## Generator scaling: 1 vs 2 workers, local and Ray'


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('davis_root', help='a DAVIS-layout root (JPEGImages/480p/<video>)')
    parser.add_argument('--videos', nargs='+', default=list(gs.DAVIS_FOLD_A), help='sequences (default: fold A)')
    parser.add_argument('--config', default='configs/unlc/generate_dataset.py', help='generation config')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default=None, metavar='KEY=VALUE',
                        help='overrides of the config, e.g. generator.max_shot_len=30')
    parser.add_argument('--settings', nargs='+', metavar='LAUNCHER:WORKERS[:THREADS]',
                        help='settings to run (default: none:1 none:1:1 none:2 ray:1 ray:2)')
    parser.add_argument('--json', help='also write the full result to this file')
    parser.add_argument('--doc', default='docs/benchmarks.md', help='markdown file whose section is replaced')
    parser.add_argument('--section', default=HEADING, help='its heading')
    parser.add_argument('--no-write', action='store_true', help='print the section, do not write the doc')
    return parser.parse_args(argv)


def _setting(text: str):
    parts = text.split(':')
    return parts[0], int(parts[1]), int(parts[2]) if len(parts) > 2 else None


def main(argv=None) -> int:
    args = parse_args(argv)
    check_heading(args.section, '--section')
    cfg = load_config(args.config, args.cfg_options)
    settings = [_setting(s) for s in args.settings] if args.settings else gs.DEFAULT_SETTINGS
    result = gs.measure_scaling(gs.davis_videos(args.davis_root, args.videos), cfg, settings)
    args_text = ' '.join(shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv))
    command = 'python tools/analysis_tools/benchmark_generator.py ' + args_text
    text = gs.to_markdown(result, command, args.section)
    print(text)
    if args.json:
        gs.atomic_write_json(args.json, result, indent=1)
    if not args.no_write:
        replace_section(args.doc, args.section, text)
    return 0


if __name__ == '__main__':
    sys.exit(main())
