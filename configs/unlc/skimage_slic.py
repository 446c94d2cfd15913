# uNLC with scikit-image's SLIC superpixels (the reference's) instead of OpenCV contrib's.
_base_ = './default.py'
unlc = dict(superpixels=dict(type='SLICSuperpixels', n_segments=400, sigma=5.0))
