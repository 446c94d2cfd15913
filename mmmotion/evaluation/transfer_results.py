"""Reading benchmark work dirs into one table: rows = checkpoints, columns = frozen settings.

A sweep (``tools/benchmarks/sweep.sh``) writes ``<work_root>/<checkpoint label>/<config name>/seed<k>/``.
Everything else comes from what mmengine leaves in each work dir: the dumped config says the task
(detection, segmentation, VOC07 or Stanford 40 classification) and the frozen setting, and the last
validation in ``<timestamp>/vis_data/scalars.json`` gives the metric. No naming convention beyond the
label folder is needed.
"""
import csv
import glob
import json
import math
import os
import os.path as osp
from collections import defaultdict
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from mmengine.config import Config

CSV_FIELDS = ('task', 'checkpoint', 'frozen', 'seed', 'metric', 'value')
FROZEN_ORDER = ('all', 'c1', 'c2', 'c3', 'c4', 'c5', 'fc6-8', 'c6', 'c7')
# task -> [(key logged by the toolbox, name in the table, factor to percent)]
TASK_METRICS: Dict[str, List[Tuple[str, str, float]]] = {
    'det': [('pascal_voc/mAP', 'mAP', 100.0)],
    'seg': [('mIoU', 'mIoU', 1.0)],
    'voc07': [('multi-label/mAP', 'mAP', 1.0)],
    'stanford40': [('accuracy/top1', 'top1', 1.0), ('multi-label/mAP', 'mAP', 1.0)],
}


def _dataset_types(loader_cfg: Optional[dict]) -> List[str]:
    """Every dataset ``type`` inside a dataloader config (wrappers included)."""
    types, stack = [], [loader_cfg.get('dataset', {})] if loader_cfg else []
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if 'type' in item and isinstance(item['type'], str):
                types.append(item['type'])
            stack.extend(v for k, v in item.items() if k in ('dataset', 'datasets'))
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return types


def task_of(cfg: dict) -> str:
    """'det', 'seg', 'voc07' or 'stanford40', from the model and dataset types of a config."""
    model_type = str(cfg['model'].get('type', ''))
    if 'roi_head' in cfg['model'] or model_type.endswith(('FastRCNN', 'FasterRCNN')):
        return 'det'
    if model_type.endswith('EncoderDecoder'):
        return 'seg'
    dataset_types = ' '.join(_dataset_types(cfg.get('train_dataloader')))
    if 'Stanford40' in dataset_types:
        return 'stanford40'
    if 'VOC' in dataset_types:
        return 'voc07'
    raise ValueError(f'cannot tell the benchmark task of a {model_type or "model"} config '
                     f'on {dataset_types or "no dataset"}')


def frozen_tag(cfg: dict) -> str:
    """The paper's name of a config's frozen setting: 'all', 'c1' ... 'c5', or 'fc6-8' (conv1-conv5
    frozen, fc6/fc7 re-initialised)."""
    backbone = cfg['model']['backbone']
    frozen = int(backbone.get('frozen_stages', -1))
    if frozen >= 5 and {'fc6', 'fc7'} & set(backbone.get('reinit_stages', ()) or ()):
        return 'fc6-8'
    return 'all' if frozen <= 0 else f'c{frozen}'


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


def read_work_dir(work_dir: str, label: str) -> List[dict]:
    """The CSV rows of one finished run (empty when it has no validation yet)."""
    dumped = glob.glob(osp.join(work_dir, '*.py'))
    if not dumped:
        return []
    cfg = Config.fromfile(max(dumped, key=osp.getmtime)).to_dict()
    task = task_of(cfg)
    metrics = last_validation(work_dir, [key for key, _, _ in TASK_METRICS[task]])
    seed = cfg.get('randomness', {}).get('seed')
    rows = []
    for key, name, factor in TASK_METRICS[task]:
        if key in metrics:
            rows.append(dict(task=task, checkpoint=label, frozen=frozen_tag(cfg),
                             seed='' if seed is None else seed, metric=name,
                             value=round(metrics[key] * factor, 2)))
    return rows


def collect(work_root: str) -> List[dict]:
    """Rows for every run under ``work_root/<label>/<config>/[seed<k>/]``, sorted."""
    if not osp.isdir(work_root):
        raise FileNotFoundError(f'no such work root: {work_root}')
    rows = []
    for label in sorted(os.listdir(work_root)):
        for config_dir in sorted(glob.glob(osp.join(work_root, label, '*'))):
            if not osp.isdir(config_dir):
                continue
            seed_dirs = sorted(glob.glob(osp.join(config_dir, 'seed*'))) or [config_dir]
            for run_dir in seed_dirs:
                rows.extend(read_work_dir(run_dir, label))
    return sort_rows(rows)


def sort_rows(rows: Sequence[dict]) -> List[dict]:
    def key(row):
        frozen = row['frozen']
        return (row['task'], row['checkpoint'], row['metric'],
                FROZEN_ORDER.index(frozen) if frozen in FROZEN_ORDER else 99, str(row['seed']))
    return sorted(rows, key=key)


def _mean_std(values: Sequence[float]) -> Tuple[float, float]:
    mean = sum(values) / len(values)
    var = sum((v - mean) ** 2 for v in values) / (len(values) - 1) if len(values) > 1 else 0.0
    return mean, math.sqrt(var)


def summary_tables(rows: Sequence[dict]) -> str:
    """One markdown table per task and metric: rows = checkpoints, columns = frozen settings,
    cells = mean ± std over seeds (n seeds)."""
    groups: Dict[Tuple[str, str], Dict[Tuple[str, str], List[float]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        groups[(row['task'], row['metric'])][(row['checkpoint'], row['frozen'])].append(float(row['value']))
    parts = []
    for (task, metric), cells in sorted(groups.items()):
        columns = sorted({frozen for _, frozen in cells},
                         key=lambda f: FROZEN_ORDER.index(f) if f in FROZEN_ORDER else 99)
        checkpoints = sorted({ckpt for ckpt, _ in cells}, key=lambda c: (c != 'random', c))
        lines = [f'**{task} — {metric}** (mean ± std over seeds, n)', '',
                 '| checkpoint | ' + ' | '.join('All' if c == 'all' else ('fc6-8' if c == 'fc6-8' else f'>{c}')
                                               for c in columns) + ' |',
                 '|---|' + '---|' * len(columns)]
        for ckpt in checkpoints:
            values = []
            for column in columns:
                found = cells.get((ckpt, column))
                if not found:
                    values.append('–')
                    continue
                mean, std = _mean_std(found)
                values.append(f'{mean:.1f} ± {std:.1f} ({len(found)})' if len(found) > 1 else f'{mean:.1f} (1)')
            lines.append(f'| {ckpt} | ' + ' | '.join(values) + ' |')
        parts.append('\n'.join(lines))
    return '\n\n'.join(parts) + '\n'


def write_csv(rows: Sequence[dict], path: str, replace_checkpoints: bool = False) -> None:
    """Write ``rows`` as CSV atomically. With ``replace_checkpoints``, rows already in ``path`` are kept
    unless they share (task, checkpoint, frozen, seed, metric) with a new row."""
    rows = list(rows)
    if replace_checkpoints and osp.isfile(path):
        new_keys = {tuple(str(r[k]) for k in CSV_FIELDS[:5]) for r in rows}
        with open(path, newline='') as f:
            old = [r for r in csv.DictReader(f) if tuple(str(r[k]) for k in CSV_FIELDS[:5]) not in new_keys]
        rows = old + rows
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    tmp = f'{path}.partial'
    with open(tmp, 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=CSV_FIELDS, extrasaction='ignore')
        writer.writeheader()
        writer.writerows(sort_rows(rows))
    os.replace(tmp, path)


def read_csv(path: str) -> List[dict]:
    with open(path, newline='') as f:
        rows = list(csv.DictReader(f))
    missing = set(CSV_FIELDS) - set(rows[0] if rows else CSV_FIELDS)
    if missing:
        raise ValueError(f'{path}: missing columns {sorted(missing)} (expected {",".join(CSV_FIELDS)})')
    return rows
