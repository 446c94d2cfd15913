"""Print a config resolved (``_base_`` and ``--cfg-options`` merged) and, for uNLC and generation configs, every
setting a run would use with the defaults merged in. Usage: ``--help`` and :mod:`mmmotion.experiments.print_config`."""
import sys

from mmmotion.experiments.print_config import main

if __name__ == '__main__':
    sys.exit(main())
