"""Text of tool-written doc sections, made from the runs' own records (never from a tool's arguments)."""
from typing import Optional, Sequence

from .run_record import read_record


def count_lines(path: str) -> int:
    with open(path) as f:
        return sum(1 for line in f if line.strip())


def records_summary(work_dirs: Sequence[str], since: str) -> Optional[dict]:
    """What the run records of ``work_dirs`` say together (None when none has one): ``records``, ``reused``
    (runs that started before ``since``, an ISO time: reused from an earlier invocation), ``wall_times``,
    ``loads`` (1-min load at every start and end) and ``commits``."""
    records = [r for r in (read_record(w) for w in dict.fromkeys(work_dirs)) if r]
    if not records:
        return None
    return dict(records=records, reused=sum(str(r.get('started', '')) < since for r in records),
                wall_times=[r['wall_time_s'] for r in records if r.get('wall_time_s')],
                loads=[x for r in records for x in (r.get('load_start'), r.get('load_end')) if x is not None],
                commits=sorted({str(r.get('commit')) for r in records}))


def describe_runs(rows: Sequence[dict], since: str) -> str:
    """Seeds, schedules, wall times, load and commits of the fine-tuning runs, from their records (runs
    started before ``since``, an ISO time, were reused from an earlier invocation)."""
    summary = records_summary([row['work_dir'] for row in rows], since)
    if summary is None:
        return 'The fine-tuning runs have no records.'
    records, times, loads = summary['records'], summary['wall_times'], summary['loads']
    iters = sorted({str(r.get('max_iters') or f'{r.get("max_epochs")} epochs') for r in records})
    seeds = sorted({r['seed'] for r in records}, key=str)
    machine = sorted({r.get('machine', '?') for r in records})
    versions = records[0]['versions']
    return (f'Fine-tuning: {len(records)} runs ({summary["reused"]} reused from an earlier invocation), '
            f'seeds {", ".join(map(str, seeds))} (the fine-tuning seed), '
            f'{" / ".join(iters)} iterations, {sum(times) / max(len(times), 1) / 60:.1f} min each on average, '
            f'{sum(times) / 60:.0f} min in all, on {"; ".join(machine)} (torch {versions.get("torch")}, '
            f'mmdet {versions.get("mmdet")}, mmseg {versions.get("mmsegmentation")}, mmpretrain '
            f'{versions.get("mmpretrain")}); 1-min load average between {min(loads, default=float("nan"))} and '
            f'{max(loads, default=float("nan"))} at the runs\' starts and ends; commit '
            f'{", ".join(summary["commits"])}.')
