"""uNLC on a DAVIS-layout root (or the synthetic suite): segment, score J and F, write panels. Usage, options and
what it writes: ``--help`` and :mod:`mmmotion.experiments.unlc_eval`."""
import sys

from mmmotion.experiments.unlc_eval import main

if __name__ == '__main__':
    sys.exit(main())
