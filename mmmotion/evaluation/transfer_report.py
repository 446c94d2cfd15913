"""Text of tool-written doc sections, made from the runs' own records (never from a tool's arguments)."""
from typing import Sequence

from .run_record import read_record


def count_lines(path: str) -> int:
    with open(path) as f:
        return sum(1 for line in f if line.strip())


def describe_runs(rows: Sequence[dict], since: str) -> str:
    """Seeds, schedules, wall times, load and commits of the fine-tuning runs, from their records (runs
    started before ``since``, an ISO time, were reused from an earlier invocation)."""
    records = {}
    for row in rows:
        record = read_record(row['work_dir'])
        if record:
            records[row['work_dir']] = record
    if not records:
        return 'The fine-tuning runs have no records.'
    times = [r['wall_time_s'] for r in records.values() if r.get('wall_time_s')]
    loads = [x for r in records.values() for x in (r.get('load_start'), r.get('load_end')) if x is not None]
    iters = sorted({str(r.get('max_iters') or f'{r.get("max_epochs")} epochs') for r in records.values()})
    seeds = sorted({r['seed'] for r in records.values()}, key=str)
    commits = sorted({r['commit'] for r in records.values()})
    machine = sorted({r.get('machine', '?') for r in records.values()})
    versions = next(iter(records.values()))['versions']
    reused = sum(r.get('started', '') < since for r in records.values())
    return (f'Fine-tuning: {len(records)} runs ({reused} reused from an earlier invocation), '
            f'seeds {", ".join(map(str, seeds))} (the fine-tuning seed), '
            f'{" / ".join(iters)} iterations, {sum(times) / max(len(times), 1) / 60:.1f} min each on average, '
            f'{sum(times) / 60:.0f} min in all, on {"; ".join(machine)} (torch {versions.get("torch")}, '
            f'mmdet {versions.get("mmdet")}, mmseg {versions.get("mmsegmentation")}, mmpretrain '
            f'{versions.get("mmpretrain")}); 1-min load average between {min(loads, default=float("nan"))} and '
            f'{max(loads, default=float("nan"))} at the runs\' starts and ends; commit '
            f'{", ".join(commits)}.')
