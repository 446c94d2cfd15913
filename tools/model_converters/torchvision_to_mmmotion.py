"""Convert torchvision's ImageNet AlexNet into an ``mmmotion.AlexNet(arch='torchvision')`` checkpoint.

    python tools/model_converters/torchvision_to_mmmotion.py alexnet-owt-7be5be79.pth alexnet_torchvision.pth

The input is the state dict torchvision downloads (``torchvision.models.alexnet(weights='IMAGENET1K_V1')``,
file ``alexnet-owt-7be5be79.pth``). Conv1..fc7 are copied (the 1000-way fc8 is dropped); the result gives
torchvision's outputs on mmmotion's RGB mean/std input. It prints the ``backbone`` lines of a transfer config;
see docs/model_zoo.md. Exits non-zero, naming the file and keys, on anything that is not such a state dict.
"""
import argparse
import sys

from mmmotion.model_conversion.alexnet_checkpoint import describe_conversion
from mmmotion.model_conversion.torchvision_alexnet import convert_torchvision_alexnet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('checkpoint', help="torchvision AlexNet state dict (.pth)")
    parser.add_argument('output', help='where to write the mmmotion.AlexNet checkpoint')
    args = parser.parse_args()
    try:
        report = convert_torchvision_alexnet(args.checkpoint, args.output)
    except (FileNotFoundError, KeyError, ValueError) as err:
        sys.exit(f'error: {err}')
    print(describe_conversion(report))


if __name__ == '__main__':
    main()
