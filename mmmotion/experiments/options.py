"""Command-line items the experiment tools share: ``--checkpoint LABEL=PATH`` and ``--plan TASK:FROZEN,...``."""
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple


def parse_checkpoints(items: Sequence[str], random: bool = True, allow_none: bool = False) -> Dict[str, Optional[str]]:
    """``LABEL=PATH`` items -> ``{label: path}``, after ``{'random': None}`` when ``random``; with
    ``allow_none`` the path ``none`` means random init under that label. Raises SystemExit naming the item
    when it is not ``LABEL=PATH`` or the file does not exist."""
    checkpoints: Dict[str, Optional[str]] = {'random': None} if random else {}
    for item in items:
        label, _, path = item.partition('=')
        if not label or not path:
            raise SystemExit(f'--checkpoint {item!r}: expected LABEL=PATH')
        if allow_none and path == 'none':
            checkpoints[label] = None
        elif not osp.isfile(path):
            raise SystemExit(f'--checkpoint {item!r}: no such file {path}')
        else:
            checkpoints[label] = path
    return checkpoints


def parse_plan(items: Sequence[str], tasks: Sequence[str]) -> List[Tuple[str, List[str]]]:
    """``TASK:FROZEN[,FROZEN...]`` items -> ``[(task, [frozen, ...]), ...]``; SystemExit naming an item that
    is malformed or names a task outside ``tasks``."""
    plan = []
    for item in items:
        task, _, settings = item.partition(':')
        if not settings or task not in tasks:
            raise SystemExit(f'--plan item {item!r}: expected TASK:FROZEN[,FROZEN...] with a task of '
                             f'{", ".join(tasks)}')
        plan.append((task, settings.split(',')))
    return plan
