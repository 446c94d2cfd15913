"""Study: does the ConvNet beat its teacher on real video? uNLC -> pseudo-GT -> MotionMask, leave one
video out, scored on the held-out video against the ground truth (DAVIS J). See
``mmmotion/experiments/teacher.py`` for the protocol.

Usage::

    nice -n 10 python tools/studies/teacher_vs_convnet.py ../shared/data/davis16_dev \
        --seeds 0 1 2 --iters 40 --gen-options generator.frame_selection.min_fg=0.02

Resumable: uNLC masks, the pseudo-GT dataset, every trained fold/seed and every evaluation are kept
under ``--work-dir`` keyed by their settings and reused. Writes CSV rows (``--csv``), a panel figure
(``--figure``) and the section "## The ConvNet and its teacher (DAVIS dev)" of ``--markdown``.
Exits 1 when no ConvNet could be trained and scored.
"""
import sys

from mmmotion.experiments.teacher_run import main

if __name__ == '__main__':
    sys.exit(main(description=__doc__))
