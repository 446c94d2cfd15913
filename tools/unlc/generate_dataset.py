"""Generate the pseudo-ground-truth dataset from a list of videos (uNLC per shot, frame rules, storage). Usage,
options and what it writes: ``--help`` and :mod:`mmmotion.pseudo_gt.cli`."""
import sys

from mmmotion.pseudo_gt.cli import main

if __name__ == '__main__':
    sys.exit(main())
