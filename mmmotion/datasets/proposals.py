"""Moved to :mod:`mmmotion.proposals.io` (and ``jittered_box_proposals`` to :mod:`mmmotion.testing`);
this path works until the next release."""
from mmmotion.utils.moved import moved_attributes

__getattr__ = moved_attributes(__name__, dict(
    check_boxes='mmmotion.proposals.io', proposal_key='mmmotion.proposals.io', rank_scores='mmmotion.proposals.io',
    save_proposals='mmmotion.proposals.io', jittered_box_proposals='mmmotion.testing.proposals'))
