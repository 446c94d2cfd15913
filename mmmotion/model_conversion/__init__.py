"""Converting other projects' AlexNets (torchvision, Caffe) into ``mmmotion.AlexNet`` checkpoints."""
from .caffe_alexnet import convert_caffe_alexnet  # noqa: F401
from .torchvision_alexnet import convert_torchvision_alexnet  # noqa: F401
