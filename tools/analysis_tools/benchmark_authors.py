"""mmmotion's uNLC against the authors' code in the same run, one thread (usage: ``--help`` and
:mod:`mmmotion.experiments.authors_speed`)."""
import sys

from mmmotion.experiments.authors_speed import main

if __name__ == '__main__':
    sys.exit(main())
