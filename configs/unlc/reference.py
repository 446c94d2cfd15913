# uNLC as the authors ran it: the NLC stage of pathak22/videoseg's run_full.py at its last commit, stage by stage
# (docs/unlc.md, "Reference mode"; measured against the authors' code in docs/benchmarks.md, "reference.py against
# the authors' code, stage by stage"). Its flow is Ce Liu's, through the authors' pyflow wrapper, which mmmotion does
# not ship: build it with `bash ../shared/refunlc/setup.sh /tmp/refunlc` and put /tmp/refunlc/pyflow on PYTHONPATH.
# Without pyflow, configs/unlc/reference_opencv.py runs the same with mmmotion's coarse-to-fine flow.
_base_ = './default.py'


unlc = dict(
    resample='pil',  # frames shrunk with Pillow's bilinear filter, sides truncated (scipy.misc.imresize)
    # scikit-image SLIC, 400 segments, sigma 5
    superpixels=dict(type='SLICSuperpixels', n_segments=400, sigma=5.0),
    # every part from the 15x15 patch at the region's box centre, as videoseg's compute_descriptor: 2017 scikit-image
    # HOG of the patch (block normalisation L1, rows sum to 1: the scale sigma2 = 0.1 fits), RGB / Lab histograms
    # of the patch, its corner as position
    descriptor=dict(type='HOGColourDescriptor', hog_block_norm='L1', support='patch'),
    motion=dict(
        flow=dict(type='PyflowFlow'),  # Ce Liu's coarse-to-fine variational flow ...
        colour=True,  # ... on RGB frames ...
        size=100,  # ... of 100x100, whatever the aspect ratio
        keep_aspect=False,
        camera_model=None,  # dominant motion: static if the median magnitude < 1 px, else a pan if one
        direction_fraction=0.75,  # of 20 magnitude-weighted orientation bins holds > 75%
        static_power=2.0,  # static camera: squared flow magnitude
        fallback_minus_max=True),  # appearance fallback minus the shot's maximum, as videoseg (no mask)
    voting=dict(restart=0.0),  # plain consensus voting
    postprocess=dict(refiner=dict(type='NoRefiner'), low_threshold=None),  # threshold 0.7 alone, no hysteresis
)
# the authors' code has none of mmmotion's later additions: no screen-overlay detection, no propagation along the flow
unlc['motion']['overlays'] = None
unlc['propagation'] = dict(gaps=())
