# uNLC's default: the reference's graph and voting (Pathak et al. 2017, videoseg) with the fixes and
# label-free additions measured on real video (DAVIS dev set) in docs/unlc.md. The values are written once,
# in mmmotion.unlc.UNLC.DEFAULTS (mmmotion's choices) and in the signatures of the functions each group goes
# to (the reference's values); this file only names the type. Override a key in a group, e.g. with the uNLC
# tools: --cfg-options voting.restart=0.0 motion.size=100 graph.nn_searcher.type=KDTreeSearcher
# Groups: superpixels, descriptor (stages); graph (nn_searcher + knn_transition_matrix's keywords);
# motion (flow, size, keep_aspect, colour, min_dominant_fraction, fallback_minus_max, border_fraction +
# motion_saliency's keywords);
# saliency (the appearance fallback); voting (n_iters, n_rounds, restart); postprocess (refiner, threshold,
# relative_size + damp_low_energy_blobs' keywords).
unlc = dict(type='UNLC')
