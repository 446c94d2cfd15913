"""The toy transfer benchmark: MotionMask vs random init on toy VOC detection, segmentation and classification.
Usage, options and what it writes: ``--help`` and :mod:`mmmotion.experiments.toy_benchmark`."""
from mmmotion.experiments.toy_benchmark import main

if __name__ == '__main__':
    main()
