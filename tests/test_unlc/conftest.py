import pytest

from mmmotion.testing.synthetic import synthetic_suite


@pytest.fixture(scope='session')
def small_suite():
    """A static-camera and a panning-camera synthetic clip, 20 frames of 160x120."""
    return synthetic_suite(2, n_frames=20, height=120, width=160, seed=0)
