"""Moved to :mod:`mmmotion.proposals.io` (and ``jittered_box_proposals`` to :mod:`mmmotion.testing`);
this path works until the next release."""
import warnings

from mmmotion.proposals.io import check_boxes, proposal_key, rank_scores, save_proposals  # noqa: F401
from mmmotion.testing.proposals import jittered_box_proposals  # noqa: F401

warnings.warn('mmmotion.datasets.proposals moved to mmmotion.proposals.io (jittered_box_proposals to '
              'mmmotion.testing); import them from there (the old path goes in the next release)',
              DeprecationWarning, stacklevel=2)
