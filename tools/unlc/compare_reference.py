"""configs/unlc/reference.py against the authors' uNLC, stage by stage. Usage, options and what it writes: ``--help``
and :mod:`mmmotion.experiments.unlc_reference`."""
import sys

from mmmotion.experiments.unlc_reference import main

if __name__ == '__main__':
    sys.exit(main())
