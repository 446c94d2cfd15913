# uNLC with OpenCV's DIS optical flow instead of Farneback.
_base_ = './default.py'
unlc = dict(flow=dict(_delete_=True, type='DISFlow', preset='medium'))
