"""Gather benchmark work dirs into paper-style tables: one per benchmark (and shots k), rows = checkpoints,
columns = frozen settings, cells = mean ± std over seeds (n).

    python tools/benchmarks/collect_results.py work_dirs/benchmarks [--csv results.csv] [--md results.md]
    python tools/benchmarks/collect_results.py --from-csv docs/results/toy_transfer.csv

Any folder layout works: every run folder under the work root is found by its run_record.json (written by
tools/train.py: benchmark, checkpoint label and hash, frozen setting, shots, seeds, config hash, commit) and
its metric read from its last validation. Runs without a validation yet are skipped. Runs of different
benchmarks are never averaged; a cell whose runs differ in config or checkpoint file is an error.
"""
import argparse
import sys

from mmmotion.experiments.report import (CSV_FIELDS, MixedResultsError, collect, read_csv,
                                         summary_tables, write_csv)
from mmmotion.utils.fileio import atomic_write_text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('work_root', nargs='?', help='folder of <label>/<config>/seed<k> work dirs')
    parser.add_argument('--from-csv', help='summarise an existing results CSV instead of work dirs')
    parser.add_argument('--tasks', nargs='+', help='only these tasks (det, seg, voc07, stanford40)')
    parser.add_argument('--benchmarks', nargs='+', help='only these benchmarks (e.g. voc07-det voc12-det)')
    parser.add_argument('--csv', help='write every run as a row (' + ','.join(CSV_FIELDS) + ')')
    parser.add_argument('--md', help='write the summary tables as markdown')
    args = parser.parse_args()
    if bool(args.work_root) == bool(args.from_csv):
        parser.error('give a work root or --from-csv (one of them)')
    rows = read_csv(args.from_csv) if args.from_csv else collect(args.work_root)
    if args.tasks:
        rows = [r for r in rows if r['task'] in args.tasks]
    if args.benchmarks:
        rows = [r for r in rows if r['benchmark'] in args.benchmarks]
    if not rows:
        sys.exit(f'no finished run found under {args.work_root or args.from_csv}')
    try:
        tables = summary_tables(rows)
    except MixedResultsError as error:
        sys.exit(f'error: {error}')
    print(tables)
    if args.csv:
        write_csv(rows, args.csv)
        print(f'wrote {len(rows)} rows to {args.csv}')
    if args.md:
        atomic_write_text(args.md, tables)
        print(f'wrote {args.md}')


if __name__ == '__main__':
    main()
