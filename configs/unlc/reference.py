# uNLC as the authors ran it: the NLC stage of pathak22/videoseg's run_full.py at its last commit
# (see docs/unlc.md, "Reference mode", for every remaining departure and its measured effect).
_base_ = './default.py'
unlc = dict(
    max_side=650,
    superpixels=dict(_delete_=True, type='SLICSuperpixels', n_segments=400, sigma=5.0),
    # 2017 scikit-image HOG: block normalisation L1 (rows sum to 1), the scale sigma2 = 0.1 fits
    descriptor=dict(_delete_=True, type='HOGColourDescriptor', hog_block_norm='L1'),
    # Ce Liu's coarse-to-fine variational flow (ratio 0.75, min width 20, 7 outer, 30 SOR)
    flow=dict(_delete_=True, type='CoarseToFineFlow'),
    flow_size=100,
    flow_keep_aspect=False,  # 100x100, whatever the aspect ratio
    static_saliency_power=2.0,  # static camera: squared flow magnitude
    camera_model=None,  # dominance by the magnitude median and the orientation histogram
    direction_fraction=0.75,
    refiner=dict(_delete_=True, type='NoRefiner'),
)
