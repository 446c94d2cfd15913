# uNLC's default: the reference's graph and voting (Pathak et al. 2017, videoseg), with the fixes
# and label-free additions measured on real video (DAVIS dev set) in docs/unlc.md. These are the
# values of mmmotion.unlc.UNLC's own defaults; configs/unlc/reference.py restores the reference.
unlc = dict(
    type='UNLC',
    max_side=650,  # longest side of the processed frames
    # OpenCV's SLIC: the same J as scikit-image's on the dev set, about half the time
    superpixels=dict(type='OpenCVSLICSuperpixels', n_segments=400, sigma=5.0),
    # HOG block norm L1, as the reference's scikit-image 0.13 (L2-Hys starves the graph)
    descriptor=dict(type='HOGColourDescriptor', patch_size=15, hog_cells=3, hog_orientations=6,
                    hog_block_norm='L1', colour_bins=20),
    nn_searcher=dict(type='FaissSearcher'),
    flow=dict(type='CoarseToFineFlow'),  # Brox-style variational flow, as Ce Liu's code
    saliency=dict(type='ManifoldRankingSaliency'),  # fallback when motion is not dominant
    refiner=dict(type='GrabCutRefiner'),  # a per-frame colour model grown from the uNLC mask
    # initial evidence from motion
    flow_size=160,  # flows run on frames of this longer side ...
    flow_keep_aspect=True,  # ... keeping the aspect ratio (the reference: 100x100)
    flow_max_offset=3,  # flows from frame i to i +- j, 0 < j <= 3
    # dominant motion = a homography fitted with RANSAC that most flow vectors agree with;
    # saliency = the flow it leaves over (None: the reference's histogram test below)
    camera_model=dict(model='homography', inlier_threshold=0.5, min_inlier_fraction=0.5),
    static_threshold=1.0,  # reference test: median flow magnitude (px) of a static camera
    direction_fraction=0.75,  # reference test: orientation-histogram mass of one bin for a pan
    direction_bins=20,
    static_saliency_power=1.0,
    saliency_box_size=5,
    border_fraction=0.125,  # zeroed border, fraction of the shorter side
    min_dominant_fraction=0.5,  # below this fraction of dominant frames: appearance saliency
    # nearest-neighbour graph
    temporal_radius=15,  # F
    neighbours_per_frame=2,  # L: L * (2F + 1) neighbours per region
    sigma2=0.1,  # weight exp(-d^2 / sigma2)
    # consensus voting and clean-up
    n_iters=50,
    n_rounds=5,
    restart=0.1,  # random walk with restart to the motion evidence (the reference: 0)
    blob_threshold=0.7,
    min_blob_energy=0.6,
    relative_blob_size=0.6,
    threshold=0.7,
)
