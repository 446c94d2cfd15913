"""Figures of transfer results: a benchmark's score against frozen depth, one line per checkpoint."""
import textwrap
from collections import defaultdict
from typing import Dict, List, Sequence, Tuple

from mmmotion.experiments.report import FROZEN_ORDER, frozen_label, group_rows, mean_std


def frozen_sweep_series(rows: Sequence[dict]) -> Dict[Tuple[str, str, str, str], Dict[str, List[tuple]]]:
    """(benchmark, task, metric, shots) -> checkpoint -> [(frozen, mean, std, n)] in frozen-depth order."""
    series: Dict[Tuple[str, str, str, str], Dict[str, List[tuple]]] = {}
    for table, cells in group_rows(rows).items():
        lines = defaultdict(list)
        for (label, frozen), found in cells.items():
            mean, spread = mean_std([float(r['value']) for r in found])
            lines[label].append((frozen, mean, spread, len(found)))
        order = {name: i for i, name in enumerate(FROZEN_ORDER)}
        series[table] = {label: sorted(points, key=lambda p: order.get(p[0], 99))
                         for label, points in lines.items()}
    return series


def plot_frozen_sweep(rows: Sequence[dict], path: str, title: str = '') -> List[str]:
    """Write a PNG with one panel per benchmark (and shots) table of ``rows``: the metric (mean over seeds,
    error bars = std) against the frozen setting, one line per checkpoint. Returns the panel titles."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    series = frozen_sweep_series(rows)
    if not series:
        raise ValueError(f'no rows to plot for {path}')
    tables = sorted(series)
    fig, axes = plt.subplots(1, len(tables), figsize=(4.8 * len(tables), 3.8), squeeze=False)
    titles = []
    for ax, table in zip(axes[0], tables):
        benchmark, task, metric, shots = table
        columns = sorted({p[0] for points in series[table].values() for p in points},
                         key=lambda f: FROZEN_ORDER.index(f) if f in FROZEN_ORDER else 99)
        for label in sorted(series[table], key=lambda c: (c != 'random', c)):
            points = series[table][label]
            xs = [columns.index(p[0]) for p in points]
            ax.errorbar(xs, [p[1] for p in points], yerr=[p[2] for p in points], marker='o', capsize=3,
                        linestyle='--' if label == 'random' else '-', label=label)
        ax.set_xticks(range(len(columns)), [frozen_label(c) for c in columns])
        ax.set_xlabel('layers frozen')
        ax.set_ylabel(metric)
        name = f'{benchmark}' + (f', k={shots}' if shots else '')
        ax.set_title(name)
        ax.grid(alpha=0.3)
        titles.append(name)
    axes[0][-1].legend(fontsize=8, loc='best')
    save_figure(fig, path, title, dpi=110)
    return titles


def save_figure(figure, path: str, title: str = '', dpi: int = 100) -> None:
    """Give a matplotlib figure its ``title``, lay it out, write it to ``path`` as a PNG (atomically) and close it."""
    import matplotlib.pyplot as plt

    from mmmotion.utils.fileio import atomic_writer
    if title:  # wrapped to the figure's width (about 8 characters an inch at the default size)
        figure.suptitle(textwrap.fill(title, max(30, int(figure.get_figwidth() * 8))))
    figure.tight_layout()
    with atomic_writer(path, 'wb') as f:
        figure.savefig(f, format='png', dpi=dpi)
    plt.close(figure)
