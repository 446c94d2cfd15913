"""Draw the screen-fixed overlays uNLC's detector finds in each clip. Usage and options: ``--help`` and
:mod:`mmmotion.experiments.overlay_panel`."""
import sys

from mmmotion.experiments.overlay_panel import main

if __name__ == '__main__':
    sys.exit(main())
