"""Convert a Caffe AlexNet / CaffeNet (.caffemodel [+ .prototxt]) into an ``mmmotion.AlexNet`` checkpoint.

    python tools/model_converters/caffe_to_mmmotion.py bvlc_reference_caffenet.caffemodel caffenet.pth \\
        --prototxt deploy.prototxt

Reads both Caffe formats (``layer`` and V1 ``layers``) without Caffe. Conv1..fc7 are matched layer by layer
against mmmotion.AlexNet (CaffeNet's conv-relu-pool-LRN order gives ``lrn_after_pool=True``, bvlc_alexnet's
conv-relu-LRN-pool the default; BatchNorm + Scale ``with_bn=True``; torchvision's widths ``arch='torchvision'``);
groups become block-diagonal
convs; Caffe's BGR/mean/scale input is folded into conv1 so the checkpoint takes mmmotion's RGB mean/std input
(pathak22's models, which start with TorchImageTransformLayer, already do). Prints the ``backbone`` lines of a
transfer config (docs/model_zoo.md); exits non-zero naming the file and the layer on anything it cannot map.
"""
import argparse
import sys

from mmmotion.model_conversion.alexnet_checkpoint import describe_conversion
from mmmotion.model_conversion.caffe_alexnet import INPUTS, convert_caffe_alexnet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('caffemodel', help='the weights (binary .caffemodel)')
    parser.add_argument('output', help='where to write the mmmotion.AlexNet checkpoint')
    parser.add_argument('--prototxt', help='the net (deploy or train_val); default the one stored in the caffemodel')
    parser.add_argument('--input', default='auto', choices=INPUTS,
                        help="what conv1 sees: Caffe's raw BGR minus mean ('bgr'), mmmotion's normalised RGB "
                        "('rgb-normalized'); 'auto' (default): the latter when pathak22's TorchImageTransformLayer "
                        "feeds conv1")
    parser.add_argument('--mean', type=float, nargs=3, metavar=('B', 'G', 'R'),
                        help="Caffe's BGR mean (default: the prototxt's mean_value, else BVLC's ImageNet mean)")
    parser.add_argument('--mean-file', help="Caffe's mean image (.binaryproto), averaged per channel")
    parser.add_argument('--scale', type=float, help="Caffe's input scale (default: the prototxt's, else 1)")
    parser.add_argument('--no-fold', action='store_true',
                        help="keep conv1 as Caffe has it (the config must then feed BGR minus the mean)")
    args = parser.parse_args()
    try:
        report = convert_caffe_alexnet(args.caffemodel, args.output, args.prototxt, args.input, args.mean,
                                       args.mean_file, args.scale, fold_input=not args.no_fold)
    except (FileNotFoundError, KeyError, ValueError) as err:
        sys.exit(f'error: {err}')
    print(describe_conversion(report))


if __name__ == '__main__':
    main()
