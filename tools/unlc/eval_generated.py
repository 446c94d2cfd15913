"""How good are the frames the generator keeps? Against DAVIS masks or VOT boxes, with the precision-yield curve.
Usage, options and what it writes: ``--help`` and :mod:`mmmotion.experiments.generated_eval`."""
import sys

from mmmotion.experiments.generated_eval import main

if __name__ == '__main__':
    sys.exit(main())
