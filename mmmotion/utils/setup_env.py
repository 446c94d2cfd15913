"""Registration helpers, in the form every OpenMMLab toolbox offers."""
import datetime
import warnings
from importlib.util import find_spec

from mmengine import DefaultScope


def register_all_modules(init_default_scope: bool = True) -> None:
    """Import every mmmotion module that registers something, so configs can name them; those built on a
    transfer toolbox (mmpretrain, mmdet, mmseg) where that toolbox is installed.

    Args:
        init_default_scope: also make ``mmmotion`` the default scope (unless one is already set
            to another name, which is then left alone with a warning, as mmpretrain does).
    """
    import mmmotion.datasets  # noqa: F401,F811
    if find_spec('mmpretrain') is not None:  # lazy in mmmotion.datasets: it pulls in mmpretrain
        import mmmotion.datasets.stanford40  # noqa: F401,F811
    import mmmotion.engine  # noqa: F401,F811
    import mmmotion.evaluation  # noqa: F401,F811
    import mmmotion.models  # noqa: F401,F811
    import mmmotion.pseudo_gt.shots  # noqa: F401,F811  (shot detectors)
    import mmmotion.unlc  # noqa: F401,F811
    import mmmotion.visualization  # noqa: F401,F811

    if not init_default_scope:
        return
    never_created = (DefaultScope.get_current_instance() is None
                     or not DefaultScope.check_instance_created('mmmotion'))
    if never_created:
        DefaultScope.get_instance('mmmotion', scope_name='mmmotion')
        return
    current_scope = DefaultScope.get_current_instance()
    if current_scope.scope_name != 'mmmotion':
        warnings.warn(f'The current default scope "{current_scope.scope_name}" is not "mmmotion"; '
                      '`register_all_modules` will force it to be "mmmotion".')
        new_instance_name = f'mmmotion-{datetime.datetime.now()}'
        DefaultScope.get_instance(new_instance_name, scope_name='mmmotion')
