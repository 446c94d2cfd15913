"""MotionMask training throughput: the bare step and the full data pipeline, AMP and memory formats. Usage, options
and what it writes: ``--help`` and :mod:`mmmotion.experiments.motionmask_speed`."""
from mmmotion.experiments.motionmask_speed import main

if __name__ == '__main__':
    main()
