# uNLC with a dense CRF (pydensecrf2) instead of GrabCut as the final refinement; the unary is
# the reference's trimap (foreground above 0.7, background below 0.4, undecided between).
_base_ = './default.py'
unlc = dict(postprocess=dict(refiner=dict(type='DenseCRFRefiner')))
