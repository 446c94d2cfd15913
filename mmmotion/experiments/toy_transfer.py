"""A small-scale version of the transfer experiment, on data mmmotion generates, runnable on a CPU.

MotionMask pretraining on uNLC masks of synthetic videos, then the toy detection / segmentation /
VOC07 benchmarks fine-tuned from that backbone and from random init, for some frozen settings and
seeds. Every run is a :func:`mmmotion.apis.train.train_run` of a toy benchmark config in its keyed work dir
(``<out>/runs/<benchmark>/<label>/<config>/seed<k>-<hash>``, the one ``tools/train.py --work-root`` gives it,
with its run record), read back by
:mod:`mmmotion.experiments.report`. Finished runs of the same config and checkpoint are not
redone, so an interrupted experiment resumes.
"""
import os
import os.path as osp
import time
from typing import Dict, List, Optional, Sequence, Tuple

from mmengine.config import Config

from mmmotion.apis.pretext import PRETEXT_CONFIGS
from mmmotion.apis.train import parse_cfg_options, train_run
from mmmotion.engine.runs import INIT_MODULES, frozen_tag, init_options
from mmmotion.experiments.report import read_work_dir
from mmmotion.utils import package_path
from mmmotion.utils.run_options import pretraining_options

TOY_CONFIG_DIRS = {  # under the package's configs; 'photo-' tasks run on the photo-style toy VOC
    'det': 'benchmarks/mmdetection/toy',
    'seg': 'benchmarks/mmsegmentation/toy',
    'voc07': 'benchmarks/classification/voc07_toy',
    'photo-seg': 'benchmarks/mmsegmentation/toy_photo',
    'photo-voc07': 'benchmarks/classification/voc07_toy_photo',
}
# the dataset root each toolbox's toy config expects: mmdet's VOCDataset takes the VOCdevkit folder
DATA_ROOT_SUBDIR = {'det': '', 'seg': 'VOC2007', 'voc07': 'VOC2007'}
TOY_SPLITS = {'train': 80, 'val': 40, 'test': 60}


def toy_task(task: str) -> Tuple[str, str]:
    """(toy VOC style, toolbox task) of a :data:`TOY_CONFIG_DIRS` task: ``'photo-seg'`` -> ``('photo', 'seg')``."""
    if task not in TOY_CONFIG_DIRS:
        raise KeyError(f'unknown task {task!r}; one of {sorted(TOY_CONFIG_DIRS)}')
    style, _, base = task.rpartition('-')
    return style or 'shapes', base


def prepare_toy_voc(out_dir: str, splits: Optional[Dict[str, int]] = None, seed: int = 2017,
                    workers: int = 2, style: str = 'shapes', proposals: bool = True) -> str:
    """Generate the toy VOC of ``style`` (once per style, split sizes and seed) with selective-search proposals
    for trainval and test (unless ``proposals`` is False: only detection reads them), in
    ``<out_dir>/toy_voc_<train>-<val>-<test>-seed<seed>`` (``toy_voc-<style>_...`` for a style other than
    'shapes'); returns that root."""
    from mmmotion.proposals import compute_proposals
    from mmmotion.testing.toy_voc import make_toy_voc
    splits = dict(splits or TOY_SPLITS)
    prefix = 'toy_voc' if style == 'shapes' else f'toy_voc-{style}'
    root = osp.join(out_dir, f'{prefix}_{splits["train"]}-{splits["val"]}-{splits["test"]}-seed{seed}')
    year_root = osp.join(root, 'VOC2007')
    done = osp.join(root, '.complete')
    if not osp.isfile(done):
        make_toy_voc(root, splits=splits, seed=seed, style=style)
        open(done, 'w').close()
    for split in ('trainval', 'test') if proposals else ():
        out_file = osp.join(year_root, 'proposals', f'{split}.pkl')
        if not osp.isfile(out_file):
            compute_proposals(year_root, split=split, out_file=out_file, workers=workers)
    return root


PRETRAINING_RECORD = 'pretraining.json'


def finished_pretraining(record_file: str) -> Optional[dict]:
    """The record of a finished pretraining whose exported backbone is still there with the recorded hash,
    else None (nothing recorded, or the backbone deleted or changed since)."""
    from mmmotion.engine.runs import file_sha256
    from mmmotion.utils.fileio import read_json
    if not osp.isfile(record_file):
        return None
    record = read_json(record_file)
    backbone = record.get('backbone')
    if backbone and osp.isfile(backbone) and file_sha256(backbone) == record.get('backbone_sha256'):
        return record
    return None


# method -> its CPU-sized config under the package's configs; every one trains on the same generated frames
PRETRAINABLE = {
    'motionmask': 'motionmask/motionmask_alexnet-bn_1xb8-100it_tiny.py',
    **{name: configs[0] for name, configs in PRETEXT_CONFIGS.items()},
}


def toy_frames(out_dir: str, n_clips: int = 24, n_frames: int = 10, seed: int = 0) -> dict:
    """The pretraining frames: uNLC pseudo ground truth of ``n_clips`` synthetic clips, generated once in
    ``<out_dir>/frames/<n_clips>clips-<n_frames>f-seed<seed>`` (with the clips' true masks for evaluation).
    Returns ``data_root`` and ``num_images``."""
    from mmmotion.testing.motionmask_data import make_synthetic_motionmask_data
    from mmmotion.utils.fileio import atomic_write_json, read_json
    folder = osp.join(out_dir, 'frames', f'{n_clips}clips-{n_frames}f-seed{seed}')
    done = osp.join(folder, 'frames.json')
    if not osp.isfile(done):
        data = make_synthetic_motionmask_data(folder, n_clips=n_clips, n_frames=n_frames, seed=seed)
        atomic_write_json(done, dict(data_root=osp.relpath(data['data_root'], folder),
                                     num_images=data.get('num_images')))
    info = read_json(done)
    return dict(data_root=osp.join(folder, info['data_root']), num_images=info['num_images'])


def views_per_sample(config: str, data_root: str) -> int:
    """How many backbone inputs one training sample of ``config`` feeds (its views: RotationPred's 4 rotations,
    a RelativeLoc pair, SimCLR's 2 views; 1 for MotionMask), counted on the first sample of its pipeline."""
    from mmmotion.datasets.builder import build_train_dataset
    from mmmotion.datasets.transforms.formatting import views_of
    dataset = build_train_dataset(config, {'train_dataloader.dataset.data_root': data_root})
    return len(views_of(dataset[0]['inputs']))


def pretrain_toy(out_dir: str, method: str = 'motionmask', iters: int = 600, n_clips: int = 24,
                 n_frames: int = 10, seed: int = 0, inputs_per_step: int = 8) -> dict:
    """Pretrain ``method`` (a key of :data:`PRETRAINABLE`) on the frames of :func:`toy_frames` (generated with
    the same ``seed``, so every method of one seed sees the same frames), then export its backbone.

    The work goes to ``<out_dir>/<method>/<n_clips>clips-<n_frames>f-<iters>it-seed<seed>``, so other
    settings never reuse it; a finished one is reused. Returns its ``pretraining.json`` record: the settings
    and config, ``backbone`` (path) and ``backbone_sha256``, wall time, machine load at start and end, commit
    and versions, and the held-out metrics of the config's validation (MotionMask: mask IoU).

    Every method gets the same compute: ``iters`` steps of ``inputs_per_step`` backbone inputs, i.e. a batch
    of ``inputs_per_step / views`` samples (:func:`views_per_sample`).
    """
    from mmmotion.apis.motionmask import pretrain_motionmask
    from mmmotion.engine.runs import code_version, file_sha256, machine_load, now, stack_versions
    from mmmotion.utils.fileio import atomic_write_json
    if method not in PRETRAINABLE:
        raise KeyError(f'cannot pretrain {method!r} here; one of {sorted(PRETRAINABLE)}')
    folder = osp.join(out_dir, method, f'{n_clips}clips-{n_frames}f-{iters}it-seed{seed}')
    record_file = osp.join(folder, PRETRAINING_RECORD)
    record = finished_pretraining(record_file)
    # records from before inputs_per_step was a setting: 8
    if record is not None and record.get('inputs_per_step', 8) == inputs_per_step:
        return dict(record, reused=True)
    start = time.time()
    config = package_path('configs', PRETRAINABLE[method])
    record = dict(method=method, config=PRETRAINABLE[method], n_clips=n_clips, n_frames=n_frames, iters=iters,
                  seed=seed, inputs_per_step=inputs_per_step, started=now(), load_start=machine_load(),
                  commit=code_version(), versions=stack_versions())
    frames = toy_frames(out_dir, n_clips=n_clips, n_frames=n_frames, seed=seed)
    views = views_per_sample(config, frames['data_root'])
    if inputs_per_step % views:
        raise ValueError(f'{method}: {inputs_per_step} backbone inputs per step is not a multiple of its {views} '
                         'views per sample')
    record.update(views=views, batch_size=inputs_per_step // views)
    options = pretraining_options(config, iters, seed=seed)
    options.update({'default_hooks.checkpoint.save_optimizer': False,  # Adam's state would triple the file
                    'train_dataloader.batch_size': inputs_per_step // views})
    if method == 'motionmask':  # its mask panels
        options['custom_hooks.1.interval'] = max(iters // 4, 1)
    result = pretrain_motionmask(frames['data_root'], osp.join(folder, 'work'), config=config, cfg_options=options)
    metrics = {k: float(v) for k, v in result['metrics'].items() if k.startswith('mask/')}
    record.update(num_images=frames['num_images'], backbone=result['backbone'],
                  backbone_sha256=file_sha256(result['backbone']), metrics=metrics, mask_metrics=metrics,
                  finished=now(), wall_time_s=round(time.time() - start, 1), load_end=machine_load())
    atomic_write_json(record_file, record, indent=1)
    return dict(record, reused=False)


def pretrain_toy_motionmask(out_dir: str, iters: int = 600, n_clips: int = 24, n_frames: int = 10,
                            seed: int = 0) -> dict:
    """:func:`pretrain_toy` of MotionMask (the toy transfer's pretraining)."""
    return pretrain_toy(out_dir, 'motionmask', iters=iters, n_clips=n_clips, n_frames=n_frames, seed=seed)


def warmup_step_schedule(iters: int) -> List[str]:
    """The toy det and VOC07 configs' schedule shape at ``iters``: warm-up for 10%, lr / 10 at 75%."""
    return [f'param_scheduler.0.end={max(iters // 10, 1)}', f'param_scheduler.1.milestones=[{iters * 3 // 4}]']


# a supervised reference's schedule, scaled to its iterations: the toy config's own shape
SUPERVISED_SCHEDULES = {
    'det': warmup_step_schedule,
    'voc07': warmup_step_schedule,
    'seg': lambda iters: [f'param_scheduler.0.end={iters}'],  # poly decay to the end
}
SUPERVISED_TASKS = tuple(t for t in TOY_CONFIG_DIRS if toy_task(t)[1] in SUPERVISED_SCHEDULES)


def pretrain_supervised_toy(out_dir: str, task: str = 'seg', iters: int = 600, n_images: int = 800,
                            seed: int = 0, data_seed: int = 4242, batch_size: int = 8) -> dict:
    """A supervised reference checkpoint, the miniature's stand-in for ImageNet: the toy benchmark ``task``
    ('seg', 'photo-seg': dense class labels; 'voc07', 'photo-voc07': image labels; 'det': boxes, with the
    RoI head's fc6/fc7 exported too) trained from scratch with every layer on ``n_images`` labelled images of
    its own in the same style (generated with ``data_seed``, so none is a transfer image), ``iters`` steps of
    ``batch_size``; then its backbone is exported.

    The work goes to ``<out_dir>/supervised/<task>-<n_images>img-<iters>it-seed<seed>`` and a finished one is
    reused. Returns its ``pretraining.json`` record (the same keys as :func:`pretrain_toy`'s, with the final
    score on 40 held-out images of the same data seed as ``metrics``: whether the reference learnt its task).
    """
    from mmmotion.apis.backbone_export import export_backbone
    from mmmotion.engine.runs import code_version, file_sha256, machine_load, now, stack_versions
    from mmmotion.utils.fileio import atomic_write_json
    if task not in SUPERVISED_TASKS:
        raise KeyError(f'no supervised reference for task {task!r}; one of {sorted(SUPERVISED_TASKS)}')
    folder = osp.join(out_dir, 'supervised', f'{task}-{n_images}img-{iters}it-seed{seed}')
    record_file = osp.join(folder, PRETRAINING_RECORD)
    record = finished_pretraining(record_file)
    if record is not None:
        return dict(record, reused=True)
    start = time.time()
    config = toy_config(task, 'all')
    record = dict(method='supervised', task=task, config=osp.relpath(config, package_path('configs')),
                  n_images=n_images, iters=iters, seed=seed, data_seed=data_seed, views=1, batch_size=batch_size,
                  inputs_per_step=batch_size, started=now(), load_start=machine_load(), commit=code_version(),
                  versions=stack_versions())
    style, base = toy_task(task)
    data_root = prepare_toy_voc(out_dir, splits=dict(train=n_images, val=0, test=40), seed=data_seed,
                                style=style, proposals=base == 'det')
    work_dir = osp.join(folder, 'work')
    schedule = {**pretraining_options(config, iters, seed=None), 'train_dataloader.batch_size': batch_size,
                'default_hooks.checkpoint.save_optimizer': False}
    options = (transfer_options(task, data_root, seed, None) + [f'{k}={v}' for k, v in schedule.items()]
               + SUPERVISED_SCHEDULES[base](iters))
    train_run(config, parse_cfg_options(options), 'supervised-pretraining', work_dir=work_dir)
    backbone = osp.join(folder, 'backbone.pth')
    # fc6/fc7 of a model that keeps them beside its backbone (Fast R-CNN's RoI head) are exported with it,
    # from the module that loads them (INIT_MODULES)
    heads = [m[len('model.'):] + '.' for m in INIT_MODULES[base] if m != 'model.backbone']
    export_backbone(osp.join(work_dir, f'iter_{iters}.pth'), backbone, fc_prefix=heads[0] if heads else None)
    metrics = {row['metric']: float(row['value']) for row in read_work_dir(work_dir)}
    record.update(num_images=n_images, backbone=backbone, backbone_sha256=file_sha256(backbone), metrics=metrics,
                  finished=now(), wall_time_s=round(time.time() - start, 1), load_end=machine_load())
    atomic_write_json(record_file, record, indent=1)
    return dict(record, reused=False)


def toy_config(task: str, frozen: str) -> str:
    """The toy benchmark config of ``task`` whose frozen setting is ``frozen`` ('all', 'c1' ... 'c5')."""
    toy_task(task)
    folder = package_path('configs', TOY_CONFIG_DIRS[task])
    for name in sorted(os.listdir(folder)):
        if name.endswith('.py') and frozen_tag(Config.fromfile(osp.join(folder, name)).to_dict()) == frozen:
            return osp.join(folder, name)
    raise FileNotFoundError(f'no config in {folder} has the frozen setting {frozen!r}')


def transfer_options(task: str, data_root: str, seed: int, checkpoint: Optional[str]) -> List[str]:
    """``--cfg-options`` of one toy run: data root, seed and (unless random init) the checkpoint."""
    task = toy_task(task)[1]
    root = osp.join(data_root, DATA_ROOT_SUBDIR[task])
    root = root if root.endswith('/') else root + '/'
    options = [f'{loader}.dataset.data_root={root}'
               for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader')]
    options.append(f'randomness.seed={seed}')
    options += [f'{key}={value}' for key, value in init_options(INIT_MODULES[task], checkpoint).items()]
    return options


def layout_options(task: str, checkpoint: Optional[str], config: Optional[str] = None) -> List[str]:
    """``--cfg-options`` that give a benchmark config's AlexNet the layout of ``checkpoint`` (BN or LRN, CaffeNet
    or torchvision widths, LRN order; :func:`mmmotion.models.utils.alexnet_settings`) in every module that
    loads it, and, for a segmentation ``config`` whose head reads conv maps, that head's input widths. None
    (random init) keeps the config's own layout."""
    if checkpoint is None:
        return []
    task = toy_task(task)[1]
    from mmmotion.models.backbones.alexnet import ARCHS
    from mmmotion.models.utils.pretrained import LAYOUT_KEYS, alexnet_settings
    settings = alexnet_settings(checkpoint)
    with_bn = settings.pop('with_bn')
    options = [f'{module}.with_bn={with_bn}' for module in INIT_MODULES[task]]
    options += [f'model.backbone.{key}={value}' for key, value in sorted(settings.items())
                if value != LAYOUT_KEYS[key]]  # defaults unsaid: the config (and its hash) stays as it was
    model = Config.fromfile(config).model if config else {}
    if 'in_channels' in model.get('decode_head', {}) and settings['arch'] != 'caffenet':
        widths = ARCHS[settings['arch']]['widths']
        channels = [widths[i] for i in model['backbone']['out_indices']]
        options.append(f'model.decode_head.in_channels=({",".join(map(str, channels))})')
    return options


def run_toy_transfer(out_dir: str, data_root: str, checkpoints: Dict[str, Optional[str]],
                     tasks: Sequence[str] = ('det', 'seg', 'voc07'), frozen: Sequence[str] = ('all', 'c5'),
                     seeds: Sequence[int] = (0, 1, 2), extra_options: Sequence[str] = (),
                     match_layout: bool = False, log=print) -> List[dict]:
    """Fine-tune every (task, frozen, checkpoint, seed) not yet done; return the rows of all of them.

    Each run is a :func:`mmmotion.apis.train.train_run` in this process, with the options parsed as
    ``tools/train.py --work-root <out_dir>/runs --label LABEL --cfg-options ...`` parses them: its work dir is
    keyed by the benchmark, label, seeds and the hashes of its config and checkpoint file
    (:func:`mmmotion.engine.runs.keyed_work_dir`), so a finished run is reused only for the same config and
    the same checkpoint bytes.

    Args:
        checkpoints: label -> AlexNet checkpoint, None for random init (e.g. ``{'random': None, ...}``).
        frozen: a setting missing from a task's toy configs is an error.
        extra_options: more ``--cfg-options`` for every run (e.g. a shorter schedule).
        match_layout: set each checkpoint's AlexNet layout (:func:`layout_options`), for comparisons of
            checkpoints that are not all BN CaffeNet-layout AlexNets like the toy configs.
    """
    rows = []
    for task in tasks:
        for setting in frozen:
            config = toy_config(task, setting)
            for label, checkpoint in checkpoints.items():
                for seed in seeds:
                    options = transfer_options(task, data_root, seed, checkpoint) + list(extra_options)
                    if match_layout:
                        options += layout_options(task, checkpoint, config)
                    work_dir = train_run(config, parse_cfg_options(options), label, osp.join(out_dir, 'runs'),
                                         log=lambda text: log(f'{task:5s} {setting:4s} {label:12s} seed {seed}: '
                                                              f'{text}'))
                    found = read_work_dir(work_dir)
                    if not found:
                        raise RuntimeError(f'{task} {setting} {label} seed {seed}: {work_dir} finished without a '
                                           'validation metric')
                    for row in found:
                        log(f'{task:5s} {setting:4s} {label:12s} seed {seed}: {row["metric"]} {row["value"]}')
                    rows.extend(found)
    return rows
