"""Measurements of mmmotion itself (speed, scaling), run by the tools in ``tools/analysis_tools``.

Not imported by ``register_all_modules``: import the module you need.
"""
