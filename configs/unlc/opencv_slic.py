# uNLC with OpenCV contrib's SLIC superpixels (about twice as fast as scikit-image's, same J on the
# synthetic suite).
_base_ = './default.py'
unlc = dict(superpixels=dict(_delete_=True, type='OpenCVSLICSuperpixels', n_segments=400,
                             sigma=5.0))
