"""Train a model of mmmotion, mmdet, mmseg or mmpretrain from a config (mmengine Runner)."""
import argparse
import os
import os.path as osp

from mmengine.config import Config, DictAction

from mmmotion.apis.train import train_recorded
from mmmotion.engine.runs import keyed_work_dir, make_record
from mmmotion.utils import prepare_config, register_all_modules


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train a model with the mmengine Runner')
    parser.add_argument('config', help='config file path')
    parser.add_argument('--work-dir', help='where to save logs and checkpoints '
                        '(default: ./work_dirs/<config name>)')
    parser.add_argument('--work-root', help='put the run in WORK_ROOT/<benchmark>/<label>/<config name>/<run key>, '
                        'a folder per benchmark, checkpoint, seeds, config and checkpoint hash')
    parser.add_argument('--label', help='the checkpoint\'s name in result tables (default: "random" without a '
                        'checkpoint, else the checkpoint file name)')
    parser.add_argument('--print-work-dir', action='store_true',
                        help='print the work dir this run would use and exit without training')
    parser.add_argument('--resume', nargs='?', type=str, const='auto',
                        help='resume from this checkpoint, or, without a path, from the latest one '
                        'in the work dir')
    parser.add_argument('--amp', action='store_true', help='automatic mixed precision training')
    parser.add_argument('--no-validate', action='store_true', help='skip validation during training')
    parser.add_argument('--auto-scale-lr', action='store_true',
                        help='scale the learning rate by the actual batch size')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config keys, e.g. train_cfg.max_iters=2 '
                        'optim_wrapper.optimizer.lr=0.01')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'], default='none',
                        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply the command-line options to the config."""
    if args.no_validate:
        cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    cfg.launcher = args.launcher
    if args.work_dir is not None and args.work_root is not None:
        raise ValueError('give --work-dir or --work-root, not both')
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])
    if args.amp:
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.resume == 'auto':
        cfg.resume, cfg.load_from = True, None
    elif args.resume is not None:
        if not osp.isfile(args.resume):
            raise FileNotFoundError(f'--resume: checkpoint not found: {args.resume}')
        cfg.resume, cfg.load_from = True, args.resume
    if args.auto_scale_lr:
        if 'auto_scale_lr' not in cfg:
            raise KeyError(f'--auto-scale-lr: the config {args.config} has no `auto_scale_lr` key')
        cfg.auto_scale_lr.enable = True
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    return cfg


def main() -> None:
    args = parse_args()
    register_all_modules(init_default_scope=False)
    cfg = merge_args(Config.fromfile(args.config), args)
    cfg = prepare_config(cfg)
    record = make_record(cfg, args.config, args.label)
    if args.work_root is not None:
        cfg.work_dir = keyed_work_dir(args.work_root, record)
    if args.print_work_dir:
        print(cfg.work_dir)
        return
    train_recorded(cfg, record)


if __name__ == '__main__':
    main()
