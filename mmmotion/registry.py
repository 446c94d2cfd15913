"""mmmotion's registries.

The OpenMMLab ones are children of mmengine's root registries (scope ``mmmotion``), so configs of mmdet,
mmseg and mmpretrain find mmmotion's modules as ``type='mmmotion.AlexNet'`` after
``custom_imports=dict(imports=['mmmotion.models'])``. The uNLC registries are roots of their own: uNLC
has no trained part, but each of its stages can be swapped from a config.
"""
from mmengine.registry import DATA_SAMPLERS as MMENGINE_DATA_SAMPLERS
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import EVALUATOR as MMENGINE_EVALUATOR
from mmengine.registry import FUNCTIONS as MMENGINE_FUNCTIONS
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import LOG_PROCESSORS as MMENGINE_LOG_PROCESSORS
from mmengine.registry import LOOPS as MMENGINE_LOOPS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODEL_WRAPPERS as MMENGINE_MODEL_WRAPPERS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import OPTIM_WRAPPER_CONSTRUCTORS as MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS
from mmengine.registry import OPTIM_WRAPPERS as MMENGINE_OPTIM_WRAPPERS
from mmengine.registry import OPTIMIZERS as MMENGINE_OPTIMIZERS
from mmengine.registry import PARAM_SCHEDULERS as MMENGINE_PARAM_SCHEDULERS
from mmengine.registry import RUNNERS as MMENGINE_RUNNERS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import VISBACKENDS as MMENGINE_VISBACKENDS
from mmengine.registry import VISUALIZERS as MMENGINE_VISUALIZERS
from mmengine.registry import Registry

RUNNERS = Registry('runner', parent=MMENGINE_RUNNERS, locations=['mmmotion.engine'])
LOOPS = Registry('loop', parent=MMENGINE_LOOPS, locations=['mmmotion.engine'])
HOOKS = Registry('hook', parent=MMENGINE_HOOKS, locations=['mmmotion.engine'])
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

METRICS = Registry('metric', parent=MMENGINE_METRICS, locations=['mmmotion.evaluation'])
EVALUATOR = Registry('evaluator', parent=MMENGINE_EVALUATOR, locations=['mmmotion.evaluation'])

VISUALIZERS = Registry('visualizer', parent=MMENGINE_VISUALIZERS,
                       locations=['mmmotion.visualization'])
VISBACKENDS = Registry('vis backend', parent=MMENGINE_VISBACKENDS,
                       locations=['mmmotion.visualization'])
FUNCTIONS = Registry('function', parent=MMENGINE_FUNCTIONS, locations=['mmmotion.utils'])

# uNLC stages: each is a small callable class, built from a config dict (configs/unlc/*.py).
OPTICAL_FLOWS = Registry('optical flow', scope='mmmotion', locations=['mmmotion.unlc'])
SUPERPIXELS = Registry('superpixel method', scope='mmmotion', locations=['mmmotion.unlc'])
REGION_DESCRIPTORS = Registry('region descriptor', scope='mmmotion', locations=['mmmotion.unlc'])
NN_SEARCHERS = Registry('nearest-neighbour search', scope='mmmotion', locations=['mmmotion.unlc'])
SALIENCY = Registry('appearance saliency', scope='mmmotion', locations=['mmmotion.unlc'])
MASK_REFINERS = Registry('mask refiner', scope='mmmotion', locations=['mmmotion.unlc'])
SHOT_APPEARANCE = Registry('shot appearance model', scope='mmmotion', locations=['mmmotion.unlc'])
SHOT_DETECTORS = Registry('shot detector', scope='mmmotion', locations=['mmmotion.pseudo_gt.shots'])
