"""Reading benchmark work dirs into tables: one per benchmark and metric, rows = checkpoints, columns =
frozen settings, cells = mean ± std over seeds.

Each run's identity comes from its ``run_record.json`` (:mod:`mmmotion.engine.runs`, written by
``tools/train.py``): benchmark, task, checkpoint label and hash, frozen setting, shots and subset seed,
training seed, config hash, commit. Runs from before records are read from their dumped config (the
label is then the first folder under the work root). The metric is the last validation in
``<timestamp>/vis_data/scalars.json``. Runs of different benchmarks or shots never share a table, and a
cell that would average runs of different configs or checkpoints is an error, not a number.
"""
import csv
import glob
import json
import math
import os
import os.path as osp
import sys
import time
from collections import defaultdict
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from mmengine.config import Config

from mmmotion.utils.fileio import atomic_writer
from mmmotion.engine.runs import (RECORD_FILE, TASK_METRICS, config_identity, frozen_tag, machine_load,  # noqa: F401
                                  read_record, run_conditions, task_of)

CSV_FIELDS = ('benchmark', 'task', 'metric', 'checkpoint', 'frozen', 'shots', 'subset_seed', 'seed', 'value',
              'checkpoint_sha256', 'config_hash', 'commit', 'work_dir')
LEGACY_CSV_FIELDS = ('task', 'checkpoint', 'frozen', 'seed', 'metric', 'value')
UNRECORDED = 'unrecorded'
# the fields that make two rows the same result (a re-collected run replaces its old row)
ROW_KEY = ('benchmark', 'task', 'metric', 'checkpoint', 'frozen', 'shots', 'subset_seed', 'seed')
CLEAR_FACTOR = 2.0  # a difference is "clear" above this many times the larger standard deviation over seeds
FROZEN_ORDER = ('all', 'c1', 'c2', 'c3', 'c4', 'c5', 'fc6-8', 'c6', 'c7')


class MixedResultsError(ValueError):
    """Runs that would be averaged into one number but are not the same experiment."""


def last_validation(work_dir: str, keys: Iterable[str]) -> Dict[str, float]:
    """The metrics of the last validation in ``work_dir`` (newest run first) that logged any of ``keys``."""
    keys = set(keys)
    for scalars in sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')), reverse=True):
        found = {}
        with open(scalars) as f:
            for line in f:
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut off by a killed run
                hits = {k: float(record[k]) for k in keys if k in record}
                if hits:
                    found = hits
        if found:
            return found
    return {}


def _legacy_record(dumped: str, label: str) -> dict:
    """The identity of a run from before run records, from its dumped config (which must be a transfer
    benchmark's); the checkpoint and the code are unknown."""
    cfg = Config.fromfile(dumped).to_dict()
    task_of(cfg)  # raises, naming the config's model and data, when it is not a benchmark
    return dict(config_identity(cfg), label=label, checkpoint_sha256='', commit='')


def _blank(value) -> str:
    return '' if value is None else str(value)


def read_work_dir(work_dir: str, label: str = '') -> List[dict]:
    """The CSV rows of one finished run (empty when it has no validation yet). ``label`` names the
    checkpoint of a run without a record."""
    record = read_record(work_dir)
    if record is None:
        dumped = glob.glob(osp.join(work_dir, '*.py'))
        if not dumped:
            return []
        record = _legacy_record(max(dumped, key=osp.getmtime), label)
    if not record.get('task'):
        return []  # not a transfer benchmark (e.g. a pretraining run)
    task = record['task']
    metrics = last_validation(work_dir, [key for key, _, _ in TASK_METRICS[task]])
    rows = []
    for key, name, factor in TASK_METRICS[task]:
        if key in metrics:
            rows.append(dict(benchmark=record['benchmark'], task=task, metric=name, checkpoint=record['label'],
                             frozen=record['frozen'], shots=_blank(record.get('shots')),
                             subset_seed=_blank(record.get('subset_seed')), seed=_blank(record.get('seed')),
                             value=round(metrics[key] * factor, 2),
                             checkpoint_sha256=record.get('checkpoint_sha256', ''),
                             config_hash=record.get('config_hash', ''), commit=record.get('commit', ''),
                             work_dir=work_dir))
    return rows


def find_run_dirs(work_root: str) -> List[str]:
    """Every run folder under ``work_root``: one with a run record, or with a dumped config and a
    ``<timestamp>/vis_data`` folder (runs from before records). Run folders are not searched further."""
    found = []
    for folder, subdirs, files in os.walk(work_root):
        is_run = RECORD_FILE in files or (
            any(f.endswith('.py') for f in files)
            and any(osp.isdir(osp.join(folder, d, 'vis_data')) for d in subdirs))
        if is_run:
            found.append(folder)
            subdirs[:] = []
        else:
            subdirs.sort()
    return sorted(found)


def collect(work_root: str) -> List[dict]:
    """Rows for every run under ``work_root``, sorted. Runs without a record take the first folder
    under the root as their checkpoint label (the layout ``<label>/<config>/seed<k>`` of old sweeps)."""
    if not osp.isdir(work_root):
        raise FileNotFoundError(f'no such work root: {work_root}')
    rows = []
    for run_dir in find_run_dirs(work_root):
        label = osp.relpath(run_dir, work_root).split(os.sep)[0]
        rows.extend(read_work_dir(run_dir, label))
    return sort_rows(rows)


def frozen_label(frozen: str) -> str:
    """The paper's column name of a frozen setting: 'all' -> 'All', 'c3' -> '>c3', 'fc6-8' as is."""
    return {'all': 'All', 'fc6-8': 'fc6-8'}.get(frozen, f'>{frozen}')


def _frozen_rank(frozen: str) -> int:
    return FROZEN_ORDER.index(frozen) if frozen in FROZEN_ORDER else 99


def _int_or_text(value):
    text = str(value)
    return (0, int(text), '') if text.lstrip('-').isdigit() else (1, 0, text)


def sort_rows(rows: Sequence[dict]) -> List[dict]:
    def key(row):
        return (row['benchmark'], row['task'], _int_or_text(row.get('shots', '')), row['checkpoint'], row['metric'],
                _frozen_rank(row['frozen']), _int_or_text(row.get('subset_seed', '')), _int_or_text(row['seed']))
    return sorted(rows, key=key)


def mean_std(values: Sequence[float]) -> Tuple[float, float]:
    mean = sum(values) / len(values)
    var = sum((v - mean) ** 2 for v in values) / (len(values) - 1) if len(values) > 1 else 0.0
    return mean, math.sqrt(var)


def _check_cell(benchmark: str, label: str, frozen: str, rows: Sequence[dict]) -> None:
    """Refuse to average runs that are not repeats of one experiment (other config or checkpoint)."""
    for field, what in (('config_hash', 'configs'), ('checkpoint_sha256', 'checkpoint files')):
        found = defaultdict(list)
        for row in rows:
            if row.get(field):
                found[row[field]].append(row.get('work_dir') or f'seed {row["seed"]}')
        if len(found) > 1:
            listed = '; '.join(f'{h[:8]}: {", ".join(sorted(set(dirs)))}' for h, dirs in sorted(found.items()))
            raise MixedResultsError(f'{benchmark}, checkpoint "{label}", {frozen}: runs of different {what} '
                                    f'would be averaged ({listed}); give them different labels or work roots')


def group_rows(rows: Sequence[dict]) -> Dict[Tuple[str, str, str, str], Dict[Tuple[str, str], List[dict]]]:
    """(benchmark, task, metric, shots) -> (checkpoint, frozen) -> rows: one table per benchmark and
    shots, never across them."""
    groups: Dict[Tuple[str, str, str, str], Dict[Tuple[str, str], List[dict]]] = defaultdict(
        lambda: defaultdict(list))
    for row in rows:
        table = (row['benchmark'], row['task'], row['metric'], str(row.get('shots', '')))
        groups[table][(row['checkpoint'], row['frozen'])].append(row)
    return groups


def summary_tables(rows: Sequence[dict]) -> str:
    """One markdown table per benchmark, shots and metric: rows = checkpoints, columns = frozen settings,
    cells = mean ± std over seeds (n runs). Raises :class:`MixedResultsError` where a cell would mix
    configs or checkpoint files."""
    parts = []
    groups = group_rows(rows)
    order = sorted(groups, key=lambda t: (t[0], t[1], _int_or_text(t[3]), t[2]))
    for benchmark, task, metric, shots in order:
        cells = groups[(benchmark, task, metric, shots)]
        for (label, frozen), found in cells.items():
            _check_cell(benchmark, label, frozen, found)
        columns = sorted({frozen for _, frozen in cells}, key=_frozen_rank)
        checkpoints = sorted({label for label, _ in cells}, key=lambda c: (c != 'random', c))
        low_shot = f', k = {shots} images per class' if shots else ''
        over = 'training and subset seeds' if shots else 'seeds'
        names = [frozen_label(c) for c in columns]
        lines = [f'**{benchmark} — {metric}**{low_shot} (task {task}; mean ± std over {over}, n)', '',
                 '| checkpoint | ' + ' | '.join(names) + ' |', '|---|' + '---|' * len(columns)]
        for label in checkpoints:
            values = []
            for column in columns:
                found = [float(r['value']) for r in cells.get((label, column), ())]
                if not found:
                    values.append('–')
                    continue
                mean, std = mean_std(found)
                values.append(f'{mean:.1f} ± {std:.1f} ({len(found)})' if len(found) > 1 else f'{mean:.1f} (1)')
            lines.append(f'| {label} | ' + ' | '.join(values) + ' |')
        parts.append('\n'.join(lines))
    return '\n\n'.join(parts) + '\n'


def write_csv(rows: Sequence[dict], path: str, replace_checkpoints: bool = False) -> None:
    """Write ``rows`` as CSV atomically. With ``replace_checkpoints``, rows already in ``path`` are kept
    unless they are the same result (:data:`ROW_KEY`) as a new row, or rows of an old CSV without
    benchmarks (which the new rows replace)."""
    rows = list(rows)
    if replace_checkpoints and osp.isfile(path):
        new_keys = {tuple(str(r.get(k, '')) for k in ROW_KEY) for r in rows}
        kept = [r for r in read_csv(path) if tuple(str(r.get(k, '')) for k in ROW_KEY) not in new_keys]
        rows = [r for r in kept if not r['benchmark'].endswith(f'({UNRECORDED} benchmark)')] + rows
    with atomic_writer(path, 'w') as f:
        writer = csv.DictWriter(f, fieldnames=CSV_FIELDS, extrasaction='ignore')
        writer.writeheader()
        writer.writerows(sort_rows(rows))


def read_csv(path: str) -> List[dict]:
    """Rows of a results CSV. A CSV from before run records (no benchmark column) is read with its rows
    under "<task> (unrecorded benchmark)" and a warning saying how to re-collect it."""
    with open(path, newline='') as f:
        reader = csv.DictReader(f)
        header = tuple(reader.fieldnames or ())
        rows = list(reader)
    if 'benchmark' not in header and set(LEGACY_CSV_FIELDS) <= set(header):
        print(f'warning: {path} was written before results carried their benchmark: its rows may mix '
              f'benchmarks (VOC07, VOC12, VOC07+12, low-shot k) and have no config or checkpoint hash. They are '
              f'shown under "{UNRECORDED}" tables. Re-collect the runs to upgrade it: '
              f'python tools/benchmarks/collect_results.py WORK_ROOT --csv {path}', file=sys.stderr)
        for row in rows:
            row.update(benchmark=f'{row["task"]} ({UNRECORDED} benchmark)', shots='', subset_seed='',
                       checkpoint_sha256='', config_hash='', commit='', work_dir='')
        return rows
    missing = [k for k in ROW_KEY + ('value', ) if k not in header]
    if missing:
        raise ValueError(f'{path}: missing columns {missing} (expected {",".join(CSV_FIELDS)})')
    return rows


# Text of tool-written doc sections, made from the runs' own records (never from a tool's arguments).
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


def doc_footer(command: str, start: float, load_start: Optional[float]) -> str:
    """The last line of a tool-written doc section: the command, its wall time since ``start``
    (``time.time()``) and the machine's load and code (:func:`~mmmotion.engine.runs.run_conditions`)."""
    return (f'Command: `{command}`; it took {(time.time() - start) / 60:.1f} min, '
            f'{run_conditions(load_start, machine_load())}.')
