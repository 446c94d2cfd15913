"""Score optical flows by the motion evidence they give uNLC (usage: ``--help`` and
:mod:`mmmotion.experiments.flow_saliency`)."""
import sys

from mmmotion.experiments.flow_saliency import main

if __name__ == '__main__':
    sys.exit(main())
