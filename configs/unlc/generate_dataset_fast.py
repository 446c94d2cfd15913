# The generator for large runs (issue 28): generate_dataset.py's frame rules and quality score with a faster
# uNLC. On the DAVIS dev clips, both folds, it keeps more frames than generate_dataset.py at kept-frame J within
# 0.01, for about a third of the CPU time a segmented frame (docs/benchmarks.md, "The generator at 0.14
# CPU-s a frame"). Its uNLC, against the default: frames of at most 480 px, 5 SLIC iterations, a +-10-frame
# k-NN on the shot's 32 principal components of the descriptors, DIS flow searched down to full resolution
# (the 'medium' preset stops at half) for frame gaps 1 and 2, and one GrabCut iteration.
# configs/unlc/fast.py is this uNLC for the uNLC tools.
_base_ = ['./generate_dataset.py']
unlc = dict(
    max_side=480,
    superpixels=dict(iterations=5),
    graph=dict(temporal_radius=10, n_components=32),
    motion=dict(flow=dict(type='DISFlow', preset='medium', finest_scale=0), max_offset=2),
    postprocess=dict(refiner=dict(iterations=1)),
)
