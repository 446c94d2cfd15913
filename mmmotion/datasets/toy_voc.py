"""Moved to :mod:`mmmotion.testing.toy_voc`; this path works until the next release."""
from mmmotion.utils.moved import alias_module

alias_module(__name__, 'mmmotion.testing.toy_voc')
