"""Gather benchmark work dirs into the paper-style table (rows = checkpoints, columns = frozen settings).

    python tools/benchmarks/collect_results.py work_dirs/benchmarks [--csv results.csv] [--md results.md]
    python tools/benchmarks/collect_results.py --from-csv docs/results/toy_transfer.csv

The work root holds ``<checkpoint label>/<config name>/seed<k>/`` as tools/benchmarks/*/run_sweep.sh
writes them; task, frozen setting and seed are read from each run's dumped config, the metric from its
last validation. Runs without a validation yet are skipped.
"""
import argparse
import os
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

from mmmotion.evaluation.transfer_results import collect, read_csv, summary_tables, write_csv  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('work_root', nargs='?', help='folder of <label>/<config>/seed<k> work dirs')
    parser.add_argument('--from-csv', help='summarise an existing results CSV instead of work dirs')
    parser.add_argument('--tasks', nargs='+', help='only these tasks (det, seg, voc07, stanford40)')
    parser.add_argument('--csv', help='write every run as a row task,checkpoint,frozen,seed,metric,value')
    parser.add_argument('--md', help='write the summary tables as markdown')
    args = parser.parse_args()
    if bool(args.work_root) == bool(args.from_csv):
        parser.error('give a work root or --from-csv (one of them)')
    rows = read_csv(args.from_csv) if args.from_csv else collect(args.work_root)
    if args.tasks:
        rows = [r for r in rows if r['task'] in args.tasks]
    if not rows:
        sys.exit(f'no finished run found under {args.work_root or args.from_csv}')
    tables = summary_tables(rows)
    print(tables)
    if args.csv:
        write_csv(rows, args.csv)
        print(f'wrote {len(rows)} rows to {args.csv}')
    if args.md:
        os.makedirs(osp.dirname(osp.abspath(args.md)), exist_ok=True)
        with open(args.md, 'w') as f:
            f.write(tables)
        print(f'wrote {args.md}')


if __name__ == '__main__':
    main()
