"""Extract the backbone of a MotionMask checkpoint into a checkpoint of ``mmmotion.AlexNet``.

    python tools/model_converters/extract_backbone_weights.py work_dirs/x/iter_80000.pth alexnet.pth

The output's keys are those of ``AlexNet().state_dict()`` (``conv1.conv.weight`` ... ``fc7.fc.bias``),
so mmdet, mmseg and mmpretrain configs load it with
``backbone=dict(type='mmmotion.AlexNet', init_cfg=dict(type='Pretrained', checkpoint='alexnet.pth'))``
(``--conv-only`` drops fc6/fc7 for the fully-convolutional AlexNet of the segmentation configs; a trained
Fast R-CNN exports as a whole AlexNet with ``--fc-prefix roi_head.bbox_head.``, where its fc6/fc7 sit).
The tool loads the result into the matching AlexNet and reports the key counts; it exits non-zero
when any key is missing or unexpected.
"""
import argparse
import sys

from mmmotion.apis.backbone_export import export_backbone


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Extract backbone weights from a checkpoint')
    parser.add_argument('checkpoint', help='training checkpoint (.pth): MotionMask, a pretext, Fast R-CNN ...')
    parser.add_argument('output', help='where to write the backbone checkpoint')
    parser.add_argument('--prefix', default='backbone.', help='key prefix of the backbone')
    parser.add_argument('--conv-only', action='store_true',
                        help='drop fc6/fc7 (for the fully-convolutional AlexNet of dense heads)')
    parser.add_argument('--fc-prefix', help='key prefix of fc6/fc7 when they are outside the backbone '
                        '(Fast R-CNN: roi_head.bbox_head.)')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    try:
        report = export_backbone(args.checkpoint, args.output, args.prefix, args.conv_only, args.fc_prefix)
    except (FileNotFoundError, KeyError, ValueError) as err:
        sys.exit(f'error: {err}')
    print(f'{args.checkpoint}: {report["num_keys"]} keys, {report["num_backbone_keys"]} under '
          f'{args.prefix!r} ({report["num_values"] / 1e6:.2f}M values)')
    if report['alexnet'] is None:
        print(f'wrote {args.output} (not an mmmotion.AlexNet: keys not checked)')
        return
    kwargs = ', '.join(f'{k}={v}' for k, v in report['alexnet'].items())
    print(f'wrote {args.output}; loads into mmmotion.AlexNet({kwargs}): '
          f'{len(report["missing_keys"])} missing keys, {len(report["unexpected_keys"])} unexpected keys')
    if report['missing_keys'] or report['unexpected_keys']:
        print(f'missing: {report["missing_keys"]}\nunexpected: {report["unexpected_keys"]}')
        sys.exit(1)


if __name__ == '__main__':
    main()
