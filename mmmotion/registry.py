"""mmmotion's registries.

The OpenMMLab ones are children of mmengine's root registries (scope ``mmmotion``), so configs of mmdet,
mmseg and mmpretrain find mmmotion's modules as ``type='mmmotion.AlexNet'`` after
``custom_imports=dict(imports=['mmmotion.models'])``. Every root has its child here, those mmmotion registers
nothing in too: a Runner under scope ``mmmotion`` looks each one up and, failing, warns that it fell back.

The uNLC registries are roots of their own: uNLC has no trained part, but each of its stages can be swapped
from a config. They build with :func:`build_without_torch`, so uNLC and the generator never load torch.
"""
from typing import Any, Optional

from mmengine.registry import DATA_SAMPLERS as MMENGINE_DATA_SAMPLERS
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import EVALUATOR as MMENGINE_EVALUATOR
from mmengine.registry import FUNCTIONS as MMENGINE_FUNCTIONS
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import INFERENCERS as MMENGINE_INFERENCERS
from mmengine.registry import LOG_PROCESSORS as MMENGINE_LOG_PROCESSORS
from mmengine.registry import LOOPS as MMENGINE_LOOPS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODEL_WRAPPERS as MMENGINE_MODEL_WRAPPERS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import OPTIM_WRAPPER_CONSTRUCTORS as MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS
from mmengine.registry import OPTIM_WRAPPERS as MMENGINE_OPTIM_WRAPPERS
from mmengine.registry import OPTIMIZERS as MMENGINE_OPTIMIZERS
from mmengine.registry import PARAM_SCHEDULERS as MMENGINE_PARAM_SCHEDULERS
from mmengine.registry import RUNNER_CONSTRUCTORS as MMENGINE_RUNNER_CONSTRUCTORS
from mmengine.registry import RUNNERS as MMENGINE_RUNNERS
from mmengine.registry import STRATEGIES as MMENGINE_STRATEGIES
from mmengine.registry import TASK_UTILS as MMENGINE_TASK_UTILS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import VISBACKENDS as MMENGINE_VISBACKENDS
from mmengine.registry import VISUALIZERS as MMENGINE_VISUALIZERS
from mmengine.registry import WEIGHT_INITIALIZERS as MMENGINE_WEIGHT_INITIALIZERS
from mmengine.registry import Registry, build_from_cfg

RUNNERS = Registry('runner', parent=MMENGINE_RUNNERS, locations=['mmmotion.engine'])
RUNNER_CONSTRUCTORS = Registry('runner constructor', parent=MMENGINE_RUNNER_CONSTRUCTORS,
                               locations=['mmmotion.engine'])
LOOPS = Registry('loop', parent=MMENGINE_LOOPS, locations=['mmmotion.engine'])
HOOKS = Registry('hook', parent=MMENGINE_HOOKS, locations=['mmmotion.engine'])
STRATEGIES = Registry('strategy', parent=MMENGINE_STRATEGIES, locations=['mmmotion.engine'])
LOG_PROCESSORS = Registry('log processor', parent=MMENGINE_LOG_PROCESSORS,
                          locations=['mmmotion.engine'])
OPTIMIZERS = Registry('optimizer', parent=MMENGINE_OPTIMIZERS, locations=['mmmotion.engine'])
OPTIM_WRAPPERS = Registry('optim wrapper', parent=MMENGINE_OPTIM_WRAPPERS,
                          locations=['mmmotion.engine'])
OPTIM_WRAPPER_CONSTRUCTORS = Registry('optimizer wrapper constructor',
                                      parent=MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS,
                                      locations=['mmmotion.engine'])
PARAM_SCHEDULERS = Registry('parameter scheduler', parent=MMENGINE_PARAM_SCHEDULERS,
                            locations=['mmmotion.engine'])

DATASETS = Registry('dataset', parent=MMENGINE_DATASETS, locations=['mmmotion.datasets'])
DATA_SAMPLERS = Registry('data sampler', parent=MMENGINE_DATA_SAMPLERS,
                         locations=['mmmotion.datasets'])
TRANSFORMS = Registry('transform', parent=MMENGINE_TRANSFORMS, locations=['mmmotion.datasets'])

MODELS = Registry('model', parent=MMENGINE_MODELS, locations=['mmmotion.models'])
MODEL_WRAPPERS = Registry('model wrapper', parent=MMENGINE_MODEL_WRAPPERS,
                          locations=['mmmotion.models'])
WEIGHT_INITIALIZERS = Registry('weight initializer', parent=MMENGINE_WEIGHT_INITIALIZERS,
                               locations=['mmmotion.models'])
TASK_UTILS = Registry('task util', parent=MMENGINE_TASK_UTILS, locations=['mmmotion.models'])

METRICS = Registry('metric', parent=MMENGINE_METRICS, locations=['mmmotion.evaluation'])
EVALUATOR = Registry('evaluator', parent=MMENGINE_EVALUATOR, locations=['mmmotion.evaluation'])

VISUALIZERS = Registry('visualizer', parent=MMENGINE_VISUALIZERS,
                       locations=['mmmotion.visualization'])
VISBACKENDS = Registry('vis backend', parent=MMENGINE_VISBACKENDS,
                       locations=['mmmotion.visualization'])
FUNCTIONS = Registry('function', parent=MMENGINE_FUNCTIONS, locations=['mmmotion.utils'])
INFERENCERS = Registry('inferencer', parent=MMENGINE_INFERENCERS, locations=['mmmotion.apis'])


def build_without_torch(cfg: dict, registry: Registry, default_args: Optional[dict] = None) -> Any:
    """The build function of the uNLC registries: ``cfg['type']`` (a name registered in ``registry``, or a
    callable) called with the other keys over ``default_args``.

    mmengine's :func:`~mmengine.registry.build_from_cfg` logs every lookup through mmengine's logger, whose
    first instance imports torch to ask for the process's rank: seconds in every process that segments. This
    reads the registry's table instead, importing its locations (mmengine's way) only for a name not yet
    registered; a scoped name (``'mmdet.X'``) or ``_scope_`` goes to mmengine's build."""
    args = dict(default_args or {}, **cfg)
    obj_type = args.pop('type')
    if not isinstance(obj_type, str):
        return obj_type(**args)
    scope, name = Registry.split_scope_key(obj_type)
    if '_scope_' in args or scope not in (None, registry.scope):
        return build_from_cfg(cfg, registry, default_args)
    if name not in registry.module_dict:
        registry.import_from_location()
    if name not in registry.module_dict:
        raise KeyError(f'{obj_type} is not in the {registry.scope}::{registry.name} registry '
                       f'(registered: {", ".join(sorted(registry.module_dict))})')
    return registry.module_dict[name](**args)


def _stage_registry(name: str, location: str = 'mmmotion.unlc') -> Registry:
    """A root registry of uNLC (or generator) stages, built with :func:`build_without_torch`."""
    return Registry(name, scope='mmmotion', build_func=build_without_torch, locations=[location])


# uNLC stages: each is a small callable class, built from a config dict (configs/unlc/*.py).
OPTICAL_FLOWS = _stage_registry('optical flow')
SUPERPIXELS = _stage_registry('superpixel method')
REGION_DESCRIPTORS = _stage_registry('region descriptor')
NN_SEARCHERS = _stage_registry('nearest-neighbour search')
SALIENCY = _stage_registry('appearance saliency')
MASK_REFINERS = _stage_registry('mask refiner')
SHOT_APPEARANCE = _stage_registry('shot appearance model')
SHOT_DETECTORS = _stage_registry('shot detector', 'mmmotion.pseudo_gt.shots')
