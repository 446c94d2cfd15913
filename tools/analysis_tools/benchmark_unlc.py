"""Benchmark uNLC: per-stage time and memory, frames/s, core-s/frame and J on dev clips (--compare). Usage, options
and what it writes: ``--help`` and :mod:`mmmotion.experiments.unlc_benchmark`."""
import sys

from mmmotion.experiments.unlc_benchmark import main

if __name__ == '__main__':
    sys.exit(main())
