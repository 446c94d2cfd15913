"""One helper makes the registered stage of a pure function, so no wrapper restates a signature."""
import inspect
from typing import Callable


def function_stage(registry, name: str, func: Callable, n_inputs: int) -> type:
    """Register ``name`` in ``registry``: a class whose constructor takes ``func``'s keyword parameters
    (after its first ``n_inputs`` array arguments; the defaults stay ``func``'s own, written once) and
    whose call applies ``func`` to the inputs. A misspelt key fails at construction, naming the keys
    ``func`` takes. Assign the result to ``name`` in ``func``'s module so that stages pickle."""
    parameters = list(inspect.signature(func).parameters.values())[n_inputs:]
    accepted = [p.name for p in parameters]
    defaults = {p.name: p.default for p in parameters if p.default is not inspect.Parameter.empty}

    def __init__(self, **kwargs):
        unknown = sorted(set(kwargs) - set(accepted))
        if unknown:
            raise TypeError(f'{name}: unknown key(s) {unknown}; {func.__name__} takes {accepted}')
        self.kwargs = dict(defaults, **kwargs)  # every setting in effect, for logs and descriptions

    def __call__(self, *inputs):
        return func(*inputs[:n_inputs], **self.kwargs)

    def __repr__(self) -> str:
        return f'{name}({", ".join(f"{k}={v!r}" for k, v in self.kwargs.items())})'

    stage = type(name, (), dict(__init__=__init__, __call__=__call__, __repr__=__repr__,
                                __module__=func.__module__,
                                __doc__=f'Registered stage of :func:`{func.__name__}` (its keyword '
                                        f'parameters, its defaults): {n_inputs} input(s) -> its result.'))
    registry.register_module(name=name, module=stage)
    return stage
