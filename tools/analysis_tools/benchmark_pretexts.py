"""Training step time of each pretext against MotionMask's. Usage, options and what it writes: ``--help`` and
:mod:`mmmotion.experiments.pretext_speed`."""
from mmmotion.experiments.pretext_speed import main

if __name__ == '__main__':
    main()
