# uNLC with OpenCV's Farneback optical flow (the reference's commented-out alternative).
_base_ = './default.py'
unlc = dict(motion=dict(flow=dict(type='FarnebackFlow')))
