"""Text of tool-written doc sections, made from the runs' own records (never from a tool's arguments)."""
from typing import List, Optional, Sequence

from mmmotion.engine.runs import read_record
from .transfer_results import FROZEN_ORDER, frozen_label, group_rows, mean_std

CLEAR_FACTOR = 2.0  # a difference is "clear" above this many times the larger standard deviation over seeds


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


def _clear(a: Sequence[float], b: Sequence[float]) -> str:
    (ma, sa), (mb, sb) = mean_std(a), mean_std(b)
    if min(len(a), len(b)) < 2:
        return 'one seed: no spread'
    return 'clear' if abs(ma - mb) > CLEAR_FACTOR * max(sa, sb) else 'within the spread'


def reference_gaps(rows: Sequence[dict], reference: str = 'random') -> str:
    """Whether a benchmark tells representations apart, from its rows: for each table, how far the frozen
    ``reference`` (random init) falls below the fully fine-tuned one, and every other checkpoint's difference
    to ``reference`` at each frozen setting, each marked "clear" when larger than :data:`CLEAR_FACTOR` times
    the larger standard deviation over seeds ('' when no table has the reference)."""
    lines: List[str] = []
    for (benchmark, _, metric, shots), cells in group_rows(rows).items():
        values = {key: [float(r['value']) for r in found] for key, found in cells.items()}
        settings = sorted({f for _, f in values}, key=lambda f: FROZEN_ORDER.index(f) if f in FROZEN_ORDER else 99)
        ref = {f: values[(reference, f)] for f in settings if (reference, f) in values}
        if not ref:
            continue
        parts = []
        frozen = [f for f in ref if f != 'all']
        if 'all' in ref and frozen:
            deepest = frozen[-1]
            gap = mean_std(ref['all'])[0] - mean_std(ref[deepest])[0]
            parts.append(f'{reference} All − {reference} {frozen_label(deepest)} (what freezing random features '
                         f'costs): {gap:+.1f} ({_clear(ref["all"], ref[deepest])})')
        for label in sorted({c for c, _ in values} - {reference}):
            diffs = [f'{frozen_label(f)} {mean_std(values[(label, f)])[0] - mean_std(ref[f])[0]:+.1f} '
                     f'({_clear(values[(label, f)], ref[f])})' for f in settings if (label, f) in values and f in ref]
            if diffs:
                parts.append(f'{label} − {reference}: ' + ', '.join(diffs))
        title = f'{benchmark}{f" ({shots} shots)" if shots else ""} {metric}'
        lines.append(f'- {title}: ' + '; '.join(parts) + '.')
    if not lines:
        return ''
    return (f'Differences to {reference} init (means over seeds; "clear" = larger than {CLEAR_FACTOR:g}x the '
            'larger standard deviation over seeds, one fixed rule for every benchmark and checkpoint):\n\n'
            + '\n'.join(lines) + '\n')
