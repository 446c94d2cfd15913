"""Moved to :mod:`mmmotion.pseudo_gt.storage`; this path works until the next release."""
from mmmotion.utils.moved import alias_module

alias_module(__name__, 'mmmotion.pseudo_gt.storage')
