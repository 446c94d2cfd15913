"""Compute selective-search proposals for Fast R-CNN (mmdet ``proposal_file``), or import existing ones.

Examples::

    # VOC2007 trainval and test -> VOC2007/proposals/{trainval,test}.pkl (what the configs expect)
    python tools/proposals/selective_search.py data/VOCdevkit/VOC2007 --splits trainval test --workers 8
    # one split, explicit output and settings
    python tools/proposals/selective_search.py data/VOCdevkit/VOC2007 --split trainval \\
        --out data/VOCdevkit/VOC2007/proposals/trainval.pkl --mode fast --max-proposals 2000
    # import R-CNN's selective-search boxes (or an mmdet .pkl) for a split
    python tools/proposals/selective_search.py data/VOCdevkit/VOC2007 --split test \\
        --convert selective_search_data/voc_2007_test.mat

A killed run resumes from its per-image cache. The exit status is 1 when some images could not be read
(the file is still written, with empty entries for them).
"""
import argparse
import logging
import os.path as osp
import pickle
import sys
from typing import List, Optional

MODES = ('fast', 'quality', 'single')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split('\n\n', 1)[1])
    parser.add_argument('year_root', help='VOC year folder (JPEGImages, ImageSets/Main, optional Annotations)')
    parser.add_argument('--split', '--splits', dest='splits', nargs='+', default=['trainval'],
                        help='split(s) of ImageSets/Main (default: trainval)')
    parser.add_argument('--out', default=None,
                        help='output .pkl (one split only; default <year_root>/proposals/<split>.pkl)')
    parser.add_argument('--workers', type=int, default=None, help='processes (default: all cores)')
    parser.add_argument('--mode', choices=MODES, default='fast', help='selective search mode (default: fast)')
    parser.add_argument('--max-proposals', type=int, default=None,
                        help='per image, best first (default: 2000 when computing, all with --convert)')
    parser.add_argument('--min-size', type=int, default=10, help='drop smaller boxes, pixels (default: 10)')
    parser.add_argument('--resize-to', type=int, default=500,
                        help='search a copy whose longer side is at most this (default: 500; 0: full size)')
    parser.add_argument('--seed', type=int, default=0, help='seed of the region ranking (default: 0)')
    parser.add_argument('--cache-dir', default=None, help='per-image cache (default: next to the output)')
    parser.add_argument('--convert', default=None, metavar='FILE',
                        help='import an existing .mat (R-CNN) or .pkl (mmdet) file instead of computing')
    parser.add_argument('--no-progress', action='store_true', help='no progress bar')
    args = parser.parse_args(argv)
    if args.out is not None and len(args.splits) > 1:
        parser.error('--out needs exactly one split')
    if args.convert is not None and len(args.splits) > 1:
        parser.error('--convert imports one file for one split')
    return args


def main(argv: Optional[List[str]] = None) -> int:
    """Run the tool; returns the exit status."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format='%(levelname)s %(message)s')
    from mmmotion.proposals import (compute_proposals, convert_proposals, proposal_recall, voc_gt_boxes,
                                    voc_split_images)
    failed = False
    for split in args.splits:
        out_file = args.out or osp.join(args.year_root, 'proposals', f'{split}.pkl')
        if args.convert:
            summary = convert_proposals(args.convert, out_file, args.year_root, split,
                                        max_proposals=args.max_proposals)
        else:
            summary = compute_proposals(args.year_root, out_file, split, workers=args.workers, mode=args.mode,
                                        max_proposals=args.max_proposals or 2000, min_size=args.min_size,
                                        resize_to=args.resize_to or None, seed=args.seed,
                                        cache_dir=args.cache_dir, progress=not args.no_progress)
        print(f'[{split}] wrote {out_file}: {summary.num_images} images, '
              f'{summary.mean_proposals:.1f} proposals per image on average')
        if not args.convert:
            speed = (f', {summary.seconds_per_image:.3f} s per image per process' if summary.num_computed else '')
            print(f'[{split}] computed {summary.num_computed}, from cache {summary.num_cached}, '
                  f'{summary.wall_seconds:.1f} s wall{speed} (cache: {summary.cache_dir})')
        if summary.failures:
            failed = True
            print(f'[{split}] FAILED {len(summary.failures)} images (empty entries; rerun to retry):')
            for path, reason in summary.failures.items():
                print(f'    {path}: {reason}')
        gt = voc_gt_boxes(voc_split_images(args.year_root, split))
        if gt is not None:
            with open(out_file, 'rb') as f:
                proposals = pickle.load(f)
            recalls = ', '.join(f'top {k or "all"}: {proposal_recall(proposals, gt, 0.5, k):.3f}'
                                for k in (100, 300, None))
            num_gt = sum(len(b) for b in gt.values())
            print(f'[{split}] recall of {num_gt} ground-truth boxes at IoU 0.5 ({recalls})')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
