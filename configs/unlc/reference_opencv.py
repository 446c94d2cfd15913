# configs/unlc/reference.py without Ce Liu's flow (pyflow, not shipped): mmmotion's coarse-to-fine flow
# (OpenCV's VariationalRefinement) on grey 100x100 frames. Every other stage is the reference's. The flow is the
# one stage it does not reproduce, and on the dev clips that moves J by up to 0.13 either way (docs/benchmarks.md,
# "reference.py against the authors' code, stage by stage").
_base_ = './reference.py'

unlc = dict(motion=dict(flow=dict(_delete_=True, type='CoarseToFineFlow'), colour=False))
