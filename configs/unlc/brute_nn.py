# uNLC with exact NumPy brute-force nearest neighbours (no faiss needed).
_base_ = './default.py'
unlc = dict(graph=dict(nn_searcher=dict(type='BruteForceSearcher')))
