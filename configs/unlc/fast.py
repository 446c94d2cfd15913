# Faster uNLC for large-scale dataset generation (issue 23), measured against the default on the 10 DAVIS dev clips
# in docs/benchmarks.md, "uNLC speed: default and fast, s/frame and core-s/frame": frames of at most 480 px,
# 5 SLIC iterations, a +-10-frame neighbourhood, DIS flow instead of the coarse-to-fine variational flow, and one
# GrabCut iteration. It costs J (stated there); use the default where mask quality matters more than hours.
_base_ = './default.py'
unlc = dict(
    max_side=480,
    superpixels=dict(iterations=5),
    graph=dict(temporal_radius=10),
    motion=dict(flow=dict(type='DISFlow', preset='medium')),
    postprocess=dict(refiner=dict(iterations=1)),
)
