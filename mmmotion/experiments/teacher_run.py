"""The study "the ConvNet and its teacher" run end to end, as ``tools/studies/teacher_vs_convnet.py`` drives it:
uNLC masks, the pseudo-GT dataset, leave-one-video-out trainings over seeds and their scores, then the CSV rows,
the panel figure and the docs section (the protocol and its stages: :mod:`mmmotion.experiments.teacher`).

Resumable: uNLC masks, the pseudo-GT dataset, every trained fold/seed and every evaluation are kept under
``work_dir`` keyed by their settings and reused."""
import argparse
import csv
import os
import os.path as osp
import shlex
import sys
import time
from typing import Any, Dict, List, Optional, Sequence

import numpy as np
from mmengine.config import DictAction
from tqdm import tqdm

from mmmotion.apis.train import prune_checkpoints
from mmmotion.engine.runs import code_version, config_hash, machine_load, now, read_record, run_conditions
from mmmotion.evaluation.davis import davis_sequences, read_mask
from mmmotion.utils.config import load_config
from mmmotion.utils.fileio import atomic_write_json, atomic_writer, read_json
from mmmotion.utils.markdown import replace_section
from . import teacher as study

TOOL = 'tools/studies/teacher_vs_convnet.py'
HEADING = '## The ConvNet and its teacher (DAVIS dev)'
FIELDS = ('study', 'variant', 'video', 'seed', 'method', 'reference', 'J_mean', 'J_recall', 'fg_fraction',
          'gt_fg_fraction', 'frames', 'frame_step',
          'train_videos', 'train_images', 'iters', 'config_hash', 'checkpoint_sha256', 'teacher_key', 'dataset_key',
          'commit', 'date')


def parser(description: str = '') -> argparse.ArgumentParser:
    """The options of ``tools/studies/teacher_vs_convnet.py``."""
    parser = argparse.ArgumentParser(description=description.split('\n\n')[0])
    parser.add_argument('davis_root', help='DAVIS 2016-layout root (JPEGImages/480p, Annotations/480p)')
    parser.add_argument('--videos', nargs='+', default=None, help='videos (default: all of the root)')
    parser.add_argument('--folds', nargs='+', default=None,
                        help='held-out videos to run (default: every video; the pseudo-GT holds all videos anyway)')
    parser.add_argument('--max-frames', type=int, default=None, help='use only the first N frames of each video')
    parser.add_argument('--frame-step', type=int, default=1, help='score every k-th annotated frame')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2], help='training seeds')
    parser.add_argument('--iters', type=int, default=40, help='training iterations per fold and seed')
    parser.add_argument('--config', default=study.CONFIG, help='the MotionMask config of the study')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default=None,
                        help='overrides of the MotionMask config')
    parser.add_argument('--unlc-config', default='configs/unlc/default.py', help='the teacher (uNLC) config')
    parser.add_argument('--gen-config', default='configs/unlc/generate_dataset_paper.py',
                        help='the generator config (default: the paper\'s frame rules, as the recorded study ran; '
                        'configs/unlc/generate_dataset.py selects frames by the quality score)')
    parser.add_argument('--gen-options', nargs='+', action=DictAction, default=None,
                        help='overrides of the generator config, e.g. generator.frame_selection.min_fg=0.02')
    parser.add_argument('--variant', default=None,
                        help='name of this setting in the CSV and the docs (default: from --gen-options); a '
                        'rerun replaces the rows of its variant')
    parser.add_argument('--work-dir', default='work_dirs/studies/teacher')
    parser.add_argument('--csv', default='docs/results/teacher_vs_convnet.csv')
    parser.add_argument('--figure', default='docs/figures/teacher_vs_convnet.png')
    parser.add_argument('--markdown', default='docs/benchmarks.md')
    parser.add_argument('--keep-checkpoints', action='store_true',
                        help='keep each run\'s checkpoint after scoring (850 MB each; by default only its hash stays)')
    parser.add_argument('--panel-frames', type=int, default=3, help='figure rows per video')
    return parser


def parse_args(parser: argparse.ArgumentParser, argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """``argv`` (default: the command line) parsed and checked, with the variant named."""
    args = parser.parse_args(argv)
    if args.frame_step < 1 or args.iters < 1 or not args.seeds:
        parser.error('--frame-step and --iters must be >= 1, and --seeds non-empty')
    if args.variant is None:
        args.variant = ' '.join(f'{k}={v}' for k, v in sorted((args.gen_options or {}).items())) or 'default'
    return args


def read_rows(path: str) -> List[Dict[str, str]]:
    """The CSV's rows, [] when there is no file."""
    if not osp.isfile(path):
        return []
    with open(path, newline='') as f:
        return list(csv.DictReader(f))


def write_rows(path: str, rows: List[Dict[str, Any]]) -> None:
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    with atomic_writer(path, 'w') as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS, lineterminator='\n')
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, '') for k in FIELDS})


def score_row(base: Dict[str, Any], method: str, reference: str, scores: List[float], fg: List[float],
              gt_fg: List[float]) -> Dict[str, Any]:
    """A CSV row: J mean and recall (J > 0.5) over the frames, and the mean foreground fractions of the
    method's masks and of the ground truth."""
    j = np.asarray(scores, float)
    return dict(base, method=method, reference=reference, J_mean=f'{j.mean():.4f}', J_recall=f'{(j > 0.5).mean():.4f}',
                fg_fraction=f'{np.mean(fg):.4f}', gt_fg_fraction=f'{np.mean(gt_fg):.4f}', frames=len(j))


def write_figure(path: str, args, videos: List[str], stems: Dict[str, List[str]], teacher_dir: str,
                 convnet_dirs: Dict[str, str]) -> None:
    """frame | ground truth | uNLC | ConvNet for ``--panel-frames`` evenly spaced frames of each video."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    rows, labels = [], []
    for video in videos:
        if video not in convnet_dirs:
            continue
        picks = np.unique(np.linspace(0, len(stems[video]) - 1, args.panel_frames).round().astype(int))
        for i in picks:
            stem = stems[video][i]
            frame = study.read_rgb(osp.join(args.davis_root, 'JPEGImages', '480p', video, stem + '.jpg'))
            gt = read_mask(osp.join(args.davis_root, 'Annotations', '480p', video, stem + '.png'))
            rows.append(study.panel_rows(frame, gt, read_mask(osp.join(teacher_dir, video, stem + '.png')),
                                         read_mask(osp.join(convnet_dirs[video], stem + '.png'))))
            labels.append(f'{video} {stem}')
    if not rows:
        return
    fig, axes = plt.subplots(len(rows), 1, figsize=(6.6, 1.25 * len(rows)), squeeze=False)
    for ax, row, label in zip(axes[:, 0], rows, labels):
        ax.imshow(row)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_ylabel(label, fontsize=6)
    axes[0, 0].set_title('frame | ground truth (green) | uNLC, the teacher (blue) | ConvNet, one frame (red)',
                         fontsize=7)
    fig.tight_layout()
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    with atomic_writer(path, 'wb') as f:
        fig.savefig(f, format='png', dpi=100)
    plt.close(fig)


def gt_rows(rows: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Rows of the ground truth's own foreground fraction (one per video), from the uNLC rows."""
    return [dict(video=r['video'], method='gt', reference='gt', seed='', fg_fraction=r.get('gt_fg_fraction'))
            for r in rows if r['method'] == 'unlc']


def previous_invocations(entry: Dict[str, Any], settings: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The earlier invocations of a variant with the same seeds, iterations and pseudo-GT (they did part of
    the work; wording of the other settings may differ), else []."""
    keys = ('seeds', 'iters', 'dataset_desc')
    if not entry or any(entry.get('settings', {}).get(k) != settings[k] for k in keys):
        return []
    return list(entry.get('invocations', []))


def section(args, rows: List[Dict[str, Any]], meta: Dict[str, Any]) -> str:
    """The docs section of every variant in the CSV, with this run's metadata."""
    out = [HEADING, '',
           'Does MotionMask, trained on uNLC\'s masks, segment a video it never saw better than uNLC does '
           'on that video (Pathak et al. 2017)? Leave-one-video-out on the 5 DAVIS 2016 dev videos: uNLC '
           f'(`{args.unlc_config}`, one shot a video, full resolution) segments every video; the generator '
           f'(`{args.gen_config}`, its shot and frame rules) turns its masks into the pseudo-GT dataset; for each '
           'held-out video MotionMask (`' + args.config + '`) trains on the other videos\' frames and predicts each '
           'held-out frame from that frame alone: the whole frame letterboxed into a square, resized to 227x227, '
           'the 56x56 output upsampled to the square, cut to the frame (854x480) and thresholded at 0.5. J (IoU) '
           'against the ground truth, mean over the scored frames of a video, then mean ± std over training seeds '
           '(n); "mean of videos" averages the videos per seed first. "Centred box" is a fixed box covering the '
           'middle half of the height and width; "ConvNet vs uNLC" is the agreement with the teacher, not a '
           'score. Every number is a row of `' + args.csv + '`.', '']
    for variant in sorted({r['variant'] for r in rows}):
        vrows = [r for r in rows if r['variant'] == variant]
        m = meta.get(variant)
        videos = sorted({r['video'] for r in vrows})
        frames = {r['video']: int(r['frames']) for r in vrows if r['method'] == 'unlc'}
        out += [f'### Setting: {variant}', '']
        if m:
            st = m['settings']
            out += [f'Settings: seeds {st["seeds"]}; {st["iters"]} iterations of batch 8 per fold and seed; frames '
                    f'scored: {st["frames_desc"]}. Pseudo-GT: {st["dataset_desc"]}. Trainings: {st["trainings"]}.', '']
            for run in m['invocations']:
                out += [f'- `{run["command"]}`: started {run["started"]}, {run["wall_min"]:.1f} min wall time '
                        f'({run["reused"]}); {run["conditions"]}.']
            out.append('')
        out += ['J against the ground truth (and the ConvNet\'s agreement with uNLC):', '',
                study.format_table(study.summarise(vrows), videos, frames), '',
                'Share of the frame that each method\'s masks mark as foreground (mean over the scored frames):', '',
                study.format_table(study.summarise(gt_rows(vrows) + vrows, 'fg_fraction'), videos, frames,
                                   study.FG_LABELS), '']
        if m and m['settings'].get('figure'):
            out += [f'Figure: `{m["settings"]["figure"]}` (frame | ground truth | uNLC | ConvNet of the first seed).',
                    '']
    return '\n'.join(out) + '\n\n'


def main(argv: Optional[Sequence[str]] = None, description: str = '') -> int:
    """Parse ``argv`` (default: the command line) and run the study; 0 when at least one ConvNet was trained
    and scored, else 1."""
    args = parse_args(parser(description), argv)
    command = f'python {TOOL} ' + ' '.join(
        shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    load_start, t0, started = machine_load(), time.time(), now()
    videos = args.videos or davis_sequences(args.davis_root)
    root = osp.abspath(args.davis_root)
    unlc_cfg = load_config(args.unlc_config)
    gen_cfg = load_config(args.gen_config, args.gen_options)
    frames_key = study.settings_key(dict(root=root, videos=videos, max_frames=args.max_frames))
    teacher_key = study.settings_key(dict(frames=frames_key, unlc=unlc_cfg))
    dataset_key = study.settings_key(dict(frames=frames_key, generator=gen_cfg))
    teacher_dir = osp.join(args.work_dir, f'teacher-{teacher_key}')
    stems = {v: study.frame_stems(root, v, args.max_frames, args.frame_step) for v in videos}

    for video in tqdm(videos, desc='uNLC (teacher)', unit='video'):
        study.teacher_masks(root, video, teacher_dir, unlc_cfg, args.max_frames)
    frames_dir = study.link_frames(root, videos, osp.join(args.work_dir, f'frames-{frames_key}'), args.max_frames)
    data_root = osp.join(args.work_dir, f'pseudo_gt-{dataset_key}')
    tqdm.write('pseudo-GT: the generator on the videos (reused when done)')
    summary = study.pseudo_gt_dataset(frames_dir, data_root, gen_cfg)
    kept = study.dataset_videos(data_root)
    tqdm.write(f'pseudo-GT: {kept}')

    base = dict(study=study.STUDY, variant=args.variant, frame_step=args.frame_step, iters=args.iters,
                teacher_key=teacher_key, dataset_key=dataset_key, commit=code_version(), date=started[:10])
    rows, convnet_dirs, trainings = [], {}, dict(run=0, reused=0, shared=0)
    done_sets, gt_fg = {}, {}
    unknown = sorted(set(args.folds or ()) - set(videos))
    if unknown:
        print(f'error: --folds {unknown} are not videos of {args.davis_root}', file=sys.stderr)
        return 1
    folds = args.folds or videos
    for video in folds:
        refs = study.reference_scores(root, video, stems[video], osp.join(teacher_dir, video))
        gt_fg[video] = refs['gt_fg']
        for method in ('unlc', 'box'):
            rows.append(score_row(dict(base, video=video, seed=''), method, 'gt', refs[method], refs[f'{method}_fg'],
                                  refs['gt_fg']))
    jobs = [(v, s) for v in folds for s in args.seeds]

    def job_options(video, seed):
        return {**study.fold_options(data_root, video, seed, args.iters), **(args.cfg_options or {})}

    def job_config(video, seed):
        return study.fold_config(args.config, data_root, video, seed, args.iters, args.cfg_options)

    # folds with the same training frames train the same model: one run, keyed by what it trains on; its
    # checkpoint is kept until the last fold that needs it is scored
    remaining_keys = [(study.training_key(job_config(v, s).to_dict(), dataset_key, [u for u in kept if u != v]), s)
                      for v, s in jobs]
    for index, (video, seed) in enumerate(tqdm(jobs, desc='folds x seeds', unit='run')):
        train_videos = sorted(v for v in kept if v != video)
        if not train_videos:
            tqdm.write(f'{video}: no pseudo-GT frames outside it; fold skipped')
            continue
        cfg = job_config(video, seed)
        train_key = remaining_keys[index][0]
        run_dir = osp.join(args.work_dir, 'runs', f'{train_key}-seed{seed}')
        reused = bool((read_record(run_dir) or {}).get('finished'))
        trainings['shared' if (train_key, seed) in done_sets else 'reused' if reused else 'run'] += 1
        eval_dir = osp.join(run_dir, 'eval', f'{video}-{study.settings_key(stems[video])}')
        result = study.cached_result(eval_dir, stems[video])
        info = study.train_fold(args.config, job_options(video, seed), run_dir, need_checkpoint=result is None)
        done_sets[(train_key, seed)] = info
        if result is None:
            result = study.evaluate_fold(study.load_model(cfg, info['checkpoint']), root, video, stems[video],
                                         osp.join(teacher_dir, video), eval_dir)
        if not args.keep_checkpoints and not any(k == (train_key, seed) for k in remaining_keys[index + 1:]):
            prune_checkpoints(run_dir)
        row = dict(base, video=video, seed=seed, train_videos=' '.join(train_videos),
                   train_images=info['train_images'], config_hash=config_hash(cfg.to_dict()),
                   checkpoint_sha256=info['checkpoint_sha256'])
        fg = study.fg_fractions(study.read_masks(osp.join(eval_dir, 'masks'), stems[video]))
        rows.append(score_row(row, 'convnet', 'gt', result['J_gt'], fg, gt_fg[video]))
        rows.append(score_row(row, 'convnet', 'unlc', result['J_unlc'], fg, gt_fg[video]))
        if seed == args.seeds[0]:
            convnet_dirs[video] = osp.join(eval_dir, 'masks')
    if not any(r['method'] == 'convnet' for r in rows):
        print('error: no fold could be trained (no pseudo-GT frames outside the held-out videos)', file=sys.stderr)
        return 1

    all_rows = [r for r in read_rows(args.csv) if r.get('variant') != args.variant] + rows
    write_rows(args.csv, all_rows)
    write_figure(args.figure, args, videos, stems, teacher_dir, convnet_dirs)
    meta_path = osp.join(args.work_dir, 'doc_meta.json')
    meta = read_json(meta_path) if osp.isfile(meta_path) else {}
    ds = summary['dataset']
    settings = dict(
        seeds=', '.join(map(str, args.seeds)), iters=args.iters, figure=args.figure,
        frames_desc=('every annotated frame' if args.frame_step == 1 else f'one annotated frame in {args.frame_step}')
        + (f' of the first {args.max_frames}' if args.max_frames else '') + f' ({sum(len(stems[v]) for v in folds)})',
        dataset_desc=f'{ds["frames"]["kept"]} frames kept of {ds["frames"]["segmented"]} segmented, per video '
                     + ', '.join(f'{v} {kept.get(v, 0)}' for v in videos),
        trainings='; '.join(f'held out {v}: trains on {" ".join(sorted(u for u in kept if u != v)) or "nothing"}'
                            for v in folds))
    invocation = dict(
        command='nice -n 10 ' + command, started=started, wall_min=(time.time() - t0) / 60,
        reused=f'{trainings["run"]} trainings run now, {trainings["reused"]} reused from an earlier invocation, '
               f'{trainings["shared"]} folds sharing a training set with another fold',
        conditions=run_conditions(load_start, machine_load()))
    meta[args.variant] = dict(settings=settings, invocations=previous_invocations(meta.get(args.variant), settings)
                              + [invocation])
    atomic_write_json(meta_path, meta, indent=1)
    replace_section(args.markdown, HEADING, section(args, all_rows, meta))
    print(study.format_table(study.summarise(rows), folds, {v: len(stems[v]) for v in folds}))
    print(f'wrote {args.csv}, {args.figure}, {args.markdown} ({(time.time() - t0) / 60:.1f} min)')
    return 0
