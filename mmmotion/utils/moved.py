"""Old import paths of modules that moved, kept working for one release."""
import importlib
import sys
import warnings
from types import ModuleType


def alias_module(old_name: str, new_name: str) -> ModuleType:
    """Make ``old_name`` the module ``new_name`` (call it from the old module's file with ``__name__``),
    with a DeprecationWarning naming the new path."""
    warnings.warn(f'{old_name} moved to {new_name}; import it from there (the old path goes in the next '
                  'release)', DeprecationWarning, stacklevel=3)
    module = importlib.import_module(new_name)
    sys.modules[old_name] = module
    return module
