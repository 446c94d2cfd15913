# uNLC as the authors ran it: the NLC stage of pathak22/videoseg's run_full.py at its last commit
# (see docs/unlc.md, "Reference mode", for every remaining departure and its measured effect).
_base_ = './default.py'
unlc = dict(
    max_side=650,
    superpixels=dict(_delete_=True, type='SLICSuperpixels', n_segments=400, sigma=5.0),
    # 2017 scikit-image HOG: block normalisation L1 (rows sum to 1), the scale sigma2 = 0.1 fits
    descriptor=dict(hog_block_norm='L1'),
    # Ce Liu's coarse-to-fine variational flow (ratio 0.75, min width 20, 7 outer, 30 SOR) ...
    flow=dict(_delete_=True, type='CoarseToFineFlow'),
    flow_size=100,  # ... on 100x100 frames, whatever the aspect ratio
    flow_keep_aspect=False,
    camera_model=None,  # dominant motion: static if the median magnitude < 1 px, else a pan if
    direction_fraction=0.75,  # one of 20 magnitude-weighted orientation bins holds > 75%
    static_saliency_power=2.0,  # static camera: squared flow magnitude
    restart=0.0,  # plain consensus voting
    refiner=dict(_delete_=True, type='NoRefiner'),
)
