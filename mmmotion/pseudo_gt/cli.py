"""Generate the uNLC pseudo-ground-truth dataset (images, soft masks, COCO RLE annotations).

Examples::

    # one process over a folder of videos
    python tools/unlc/generate_dataset.py videos/ --out data/unlc_gt
    # 4 local Ray workers over a YFCC-style list, restartable
    python tools/unlc/generate_dataset.py list.txt --out data/unlc_gt --launcher ray --workers 4 --resume
    # slurm array task I of N (shards merge automatically when the last one finishes)
    python tools/unlc/generate_dataset.py list.txt --out data/unlc_gt --num-shards N --shard-id I
    # merge explicitly
    python tools/unlc/generate_dataset.py list.txt --out data/unlc_gt --merge
    # override config keys (generator settings, uNLC's under unlc.)
    python tools/unlc/generate_dataset.py videos/ --out data/unlc_gt --config configs/unlc/generate_dataset.py \
        --cfg-options generator.max_shot_len=30 unlc.max_side=480
"""
import argparse
import logging
import os
import os.path as osp
import sys

from mmmotion.pseudo_gt.generate import generate_dataset
from mmmotion.pseudo_gt import MergeError, list_videos, merge_dataset
from mmmotion.utils.config import add_cfg_options, load_config
from mmmotion.utils.fileio import atomic_write_json


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Generate the uNLC pseudo-ground-truth dataset')
    parser.add_argument(
        'inputs',
        help='a text file of video paths (one per line, relative paths '
        'resolved against its folder) or a directory of videos / frame folders')
    parser.add_argument('--out', required=True, help='the dataset directory')
    parser.add_argument(
        '--config', help='generation config (e.g. configs/unlc/generate_dataset.py)')
    add_cfg_options(parser, 'override keys of the config, e.g. generator.max_shot_len=30 unlc.max_side=480 '
                    '(tools/misc/print_config.py shows the result)')
    parser.add_argument(
        '--segmenter',
        help="import path of the segmentation function, e.g. "
        "'mmmotion.apis.segment.segment_video' (overrides the config)")
    parser.add_argument('--num-shards', type=int, default=1)
    parser.add_argument('--shard-id', type=int, default=0)
    parser.add_argument('--launcher', choices=['none', 'ray'], default='none')
    parser.add_argument('--ray-address', help='join this Ray cluster (default: start a local one)')
    parser.add_argument('--workers', type=int, default=1, help='videos processed in parallel')
    parser.add_argument(
        '--threads',
        type=int,
        help='library threads (OpenCV, OpenBLAS, OpenMP) of each worker (default: the cores shared out '
        'among local workers, 1 per Ray task)')
    parser.add_argument('--resume', action='store_true', help='skip videos already done')
    parser.add_argument(
        '--no-retry-failed',
        action='store_true',
        help='with --resume, keep the records of failed videos instead of retrying them')
    parser.add_argument(
        '--max-failed-fraction',
        type=float,
        default=1.0,
        help='exit with status 1 when more than this fraction of the videos failed (default 1.0: '
        'only when every video failed, which always exits 1)')
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        '--merge',
        action='store_true',
        help='only build the COCO file and manifests from finished records')
    group.add_argument(
        '--no-merge', action='store_true', help='do not merge even when all shards are done')
    parser.add_argument('--summary-json', help='also write the run summary to this JSON file')
    parser.add_argument('--no-progress', action='store_true', help='no progress bar')
    parser.add_argument('--log-level', default='INFO')
    return parser.parse_args(argv)


def _format_counts(counts) -> str:
    return ', '.join(f'{k}: {v}' for k, v in sorted(counts.items())) or '-'


def print_summary(s) -> None:
    v, sh, fr = s['videos'], s['shots'], s['frames']
    lines = [
        f"videos: {v['total']} (ok {v['ok']}, rejected {v['rejected']}, failed {v['failed']}; "
        f"{_format_counts(v['reasons'])})",
        f"shots:  kept {sh['kept']}, rejected {sh['rejected']} ({_format_counts(sh['reasons'])})",
        f"frames: segmented {fr['segmented']}, kept {fr['kept']}, not selected "
        f"{fr['not_selected']}, rejected {fr['rejected']} ({_format_counts(fr['reasons'])})",
    ]
    if 'elapsed_s' in s:
        lines.append(
            f"run:    shard {s['shard']['id']}/{s['shard']['of']}, {s['processed']} "
            f"processed, {s['resumed']} resumed, {s['elapsed_s']:.1f} s, "
            f"{s['frames_per_s'] or 0:.2f} frames/s, {s['videos_per_s'] or 0:.3f} videos/s")
    t = s.get('timing')
    if t and t.get('busy_share') is not None:
        lines.append(f"workers: {len(t['workers'])}, busy {t['busy_share']:.0%} of the run, "
                     f"{t['cpu_per_busy']:.2f} CPU s per busy s, segmenter {t['segment_wall_s'] / t['busy_s']:.0%} "
                     f"of the busy time")
    if s.get('lost'):
        lines.append(f"lost:   {len(s['lost'])} video(s) whose worker died, not recorded: "
                     f"rerun with --resume")
    if s.get('merged'):
        d = s['dataset']
        lines.append(f"dataset: {d['frames']['kept']} images from {d['videos']['ok']} videos -> "
                     f"{s.get('coco_file', '')}")
    print('\n'.join(lines), flush=True)


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(),
        stream=sys.stderr,
        format='%(asctime)s %(levelname)s %(message)s')
    if args.merge:
        try:
            summary = merge_dataset(args.out, [e.video_id for e in list_videos(args.inputs)])
        except MergeError as e:
            logging.error('%s', e)
            return 1
        summary.update(
            merged=True,
            dataset=dict(summary),
            coco_file=osp.join(args.out, 'annotations', 'unlc_coco.json'))
    else:
        summary = generate_dataset(
            args.inputs,
            args.out,
            cfg=load_config(args.config, args.cfg_options),
            num_shards=args.num_shards,
            shard_id=args.shard_id,
            launcher=args.launcher,
            ray_address=args.ray_address,
            workers=args.workers,
            resume=args.resume,
            segmenter=args.segmenter,
            merge=False if args.no_merge else 'auto',
            progress=not args.no_progress,
            retry_failed=not args.no_retry_failed,
            threads=args.threads)
    print_summary(summary)
    summary['failure'] = failure_check(summary, args.max_failed_fraction)
    if summary['failure']['error']:
        logging.error('%s', summary['failure']['error'])
    if args.summary_json:
        os.makedirs(osp.dirname(osp.abspath(args.summary_json)), exist_ok=True)
        atomic_write_json(args.summary_json, summary, indent=1)
    if summary.get('lost'):
        logging.error('%d video(s) lost to dying workers (%s...): rerun with --resume',
                      len(summary['lost']), ', '.join(summary['lost'][:5]))
        return 1
    return 1 if summary['failure']['error'] else 0


def failure_check(summary: dict, max_failed_fraction: float = 1.0) -> dict:
    """Whether a run failed as a whole: no video at all, every video failed, or more than
    ``max_failed_fraction`` of them. Returns ``dict(failed, total, fraction, reasons, error)``,
    ``error`` a message naming the failure reasons, or None."""
    videos = summary['videos'] if 'videos' in summary else summary['dataset']['videos']
    total, failed = videos['total'], videos['failed']
    reasons = {}
    for rec in summary.get('rejected_videos', []):
        if rec['status'] == 'failed':
            key = rec['reason'].split(':')[0]
            reasons[key] = reasons.get(key, 0) + 1
    fraction = failed / total if total else 1.0
    error = None
    if total == 0 and not summary.get('lost'):
        error = 'no videos to process: the input list or folder is empty'
    elif total and (failed == total or fraction > max_failed_fraction):
        named = ', '.join(f'{k}: {v}' for k, v in sorted(reasons.items()))
        error = (f'{failed} of {total} video(s) failed ({named}); '
                 f'{"every video" if failed == total else "more than the allowed fraction"} '
                 f'failed (--max-failed-fraction {max_failed_fraction})')
    return dict(failed=failed, total=total, fraction=round(fraction, 6), reasons=reasons,
                error=error)
