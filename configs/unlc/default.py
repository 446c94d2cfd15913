# uNLC with the reference implementation's defaults (Pathak et al. 2017, videoseg).
unlc = dict(
    type='UNLC',
    max_side=650,  # longest side of the processed frames
    superpixels=dict(type='SLICSuperpixels', n_segments=400, sigma=5.0, compactness=10.0),
    descriptor=dict(type='HOGColourDescriptor', patch_size=15, hog_cells=3, hog_orientations=6,
                    colour_bins=20),
    nn_searcher=dict(type='FaissSearcher'),
    flow=dict(type='FarnebackFlow'),
    saliency=dict(type='ManifoldRankingSaliency'),  # fallback when motion is not dominant
    refiner=dict(type='NoRefiner'),
    # initial evidence from motion
    flow_size=100,  # flows are computed on flow_size x flow_size grey frames
    flow_max_offset=3,  # flows from frame i to i +- j, 0 < j <= 3
    static_threshold=1.0,  # median flow magnitude (px) below which the camera is static
    direction_fraction=0.75,  # orientation-histogram mass of one bin for a panning camera
    direction_bins=20,
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
    blob_threshold=0.7,
    min_blob_energy=0.6,
    relative_blob_size=0.6,
    threshold=0.7,
)
