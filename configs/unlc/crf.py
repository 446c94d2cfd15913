# uNLC with dense-CRF refinement of the final masks (needs the pydensecrf2 package).
_base_ = './default.py'
unlc = dict(refiner=dict(type='DenseCRFRefiner'))
