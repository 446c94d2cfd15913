# Faster uNLC for large-scale dataset generation: frames of at most 320 px and a +-10-frame
# neighbourhood (2 x 21 neighbours a region).
_base_ = './default.py'
unlc = dict(max_side=320, graph=dict(temporal_radius=10))
