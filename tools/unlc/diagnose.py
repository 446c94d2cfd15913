"""Stage-by-stage diagnostics of uNLC on sequences with ground truth (DAVIS 2016 layout). Usage, options and what it
writes: ``--help`` and :mod:`mmmotion.experiments.unlc_diagnose`."""
import sys

from mmmotion.experiments.unlc_diagnose import main

if __name__ == '__main__':
    sys.exit(main())
