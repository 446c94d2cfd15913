# Faster uNLC for large-scale dataset generation: smaller frames, fewer superpixels from OpenCV's
# SLIC, DIS flow.
_base_ = './default.py'
unlc = dict(
    max_side=320,
    superpixels=dict(_delete_=True, type='OpenCVSLICSuperpixels', n_segments=200, sigma=5.0),
    flow=dict(_delete_=True, type='DISFlow', preset='medium'))
