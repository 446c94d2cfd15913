"""Compare checkpoints on the transfer benchmarks (the toy miniature or the full ones) in one table. Usage, options
and what it writes: ``--help`` and :mod:`mmmotion.experiments.comparison`."""
from mmmotion.experiments.comparison import main

if __name__ == '__main__':
    main()
