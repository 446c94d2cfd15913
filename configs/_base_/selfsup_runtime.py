# MotionMask's runtime for the pretexts: mmpretrain's parts imported, no mask panels.
_base_ = './motionmask_runtime.py'
custom_imports = dict(
    imports=['mmmotion.datasets', 'mmmotion.models', 'mmmotion.engine', 'mmpretrain.datasets', 'mmpretrain.models'],
    allow_failed_imports=False)
custom_hooks = [dict(type='WeightsOnlyCheckpointHook')]
