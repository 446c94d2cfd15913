"""Old import paths of modules that moved, kept working for one release."""
import importlib
import sys
import warnings
from types import ModuleType
from typing import Any, Callable, Dict


def _warn_moved(old: str, new: str, stacklevel: int) -> None:
    warnings.warn(f'{old} moved to {new}; import it from there (the old path goes in the next release)',
                  DeprecationWarning, stacklevel=stacklevel + 1)


def alias_module(old_name: str, new_name: str) -> ModuleType:
    """Make ``old_name`` the module ``new_name`` (call it from the old module's file with ``__name__``),
    with a DeprecationWarning naming the new path."""
    _warn_moved(old_name, new_name, stacklevel=3)
    module = importlib.import_module(new_name)
    sys.modules[old_name] = module
    return module


def moved_attributes(module_name: str, moved: Dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for names that moved out of ``module_name``: ``{name: new module}``; each is
    imported from its new module on first use, with a DeprecationWarning naming it."""

    def __getattr__(name: str) -> Any:
        if name not in moved:
            raise AttributeError(f'module {module_name!r} has no attribute {name!r}')
        _warn_moved(f'{module_name}.{name}', f'{moved[name]}.{name}', stacklevel=2)
        return getattr(importlib.import_module(moved[name]), name)

    return __getattr__
