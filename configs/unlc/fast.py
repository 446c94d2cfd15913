# Faster uNLC for large-scale dataset generation: frames of at most 320 px, OpenCV's SLIC and a
# +-10-frame neighbourhood (2 x 21 neighbours a region).
_base_ = './default.py'
unlc = dict(
    max_side=320,
    superpixels=dict(_delete_=True, type='OpenCVSLICSuperpixels', n_segments=400, sigma=5.0),
    temporal_radius=10)
