# uNLC with OpenCV's DIS optical flow (with variational refinement) instead of the slower
# coarse-to-fine variational flow.
_base_ = './default.py'
unlc = dict(motion=dict(flow=dict(type='DISFlow', preset='medium')))
