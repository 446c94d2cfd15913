"""Moved to :mod:`mmmotion.proposals.selective_search`; this path works until the next release."""
from mmmotion.utils.moved import alias_module

alias_module(__name__, 'mmmotion.proposals.selective_search')
