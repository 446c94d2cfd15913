"""Moved to :mod:`mmmotion.proposals`; this path works until the next release."""
from mmmotion.utils.moved import alias_module

alias_module(__name__, 'mmmotion.proposals')
