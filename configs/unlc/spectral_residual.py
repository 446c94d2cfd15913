# uNLC with OpenCV contrib's spectral-residual saliency as the appearance fallback.
_base_ = './default.py'
unlc = dict(saliency=dict(type='SpectralResidualSaliency'))
