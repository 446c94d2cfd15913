# uNLC with dense-CRF refinement of the final masks (needs the pydensecrf2 package, which provides
# the `pydensecrf` module). Sharper boundaries; about 1.5x the run time at 320x240.
_base_ = './default.py'
unlc = dict(refiner=dict(type='DenseCRFRefiner'))
