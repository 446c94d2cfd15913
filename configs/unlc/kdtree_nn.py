# uNLC with SciPy's cKDTree nearest neighbours (as the reference).
_base_ = './default.py'
unlc = dict(graph=dict(nn_searcher=dict(type='KDTreeSearcher')))
