# Faster uNLC for large-scale dataset generation: smaller frames, fewer superpixels, DIS flow.
_base_ = './default.py'
unlc = dict(max_side=320, superpixels=dict(n_segments=200), flow=dict(type='DISFlow'))
