"""Browse a pseudo-ground-truth dataset: a static HTML report of a generator run (summary, per-video pages with the
kept frames' masks, and with --davis-root / --vot-root the precision-yield curve), updated in place after a
``--resume``. Usage, options and what it writes: ``--help`` and :mod:`mmmotion.pseudo_gt.report`.

Example::

    python tools/analysis_tools/browse_dataset.py data/unlc_gt --out work_dirs/unlc_gt_report
"""
import sys

from mmmotion.pseudo_gt.report import main

if __name__ == '__main__':
    sys.exit(main())
