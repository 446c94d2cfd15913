# uNLC as the authors ran it: the NLC stage of pathak22/videoseg's run_full.py at its last commit
# (see docs/unlc.md, "Reference mode", for every remaining departure and its measured effect).
_base_ = './default.py'


unlc = dict(
    # scikit-image SLIC, 400 segments, sigma 5
    superpixels=dict(type='SLICSuperpixels', n_segments=400, sigma=5.0),
    # 2017 scikit-image HOG: block normalisation L1 (rows sum to 1), the scale sigma2 = 0.1 fits
    descriptor=dict(type='HOGColourDescriptor', hog_block_norm='L1'),
    motion=dict(
        flow=dict(type='CoarseToFineFlow'),  # Ce Liu's coarse-to-fine variational flow ...
        size=100,  # ... on 100x100 frames, whatever the aspect ratio
        keep_aspect=False,
        camera_model=None,  # dominant motion: static if the median magnitude < 1 px, else a pan if one
        direction_fraction=0.75,  # of 20 magnitude-weighted orientation bins holds > 75%
        static_power=2.0),  # static camera: squared flow magnitude
    voting=dict(restart=0.0),  # plain consensus voting
    postprocess=dict(refiner=dict(type='NoRefiner'), low_threshold=None),  # threshold 0.7 alone, no hysteresis
)
# the authors' code has none of mmmotion's later additions: no screen-overlay detection, no propagation along the flow
unlc['motion']['overlays'] = None
unlc['propagation'] = dict(gaps=())
