"""Moved to :mod:`mmmotion.testing.synthetic`; this path works until the next release."""
from mmmotion.utils.moved import alias_module

alias_module(__name__, 'mmmotion.testing.synthetic')
