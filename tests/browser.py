"""Rendering pages in a real browser for tests: headless Chromium (Debian package ``chromium``).

Without Chromium a test is skipped, naming what it needs, unless ``CI`` is set (``.ci/run`` installs it), where
its absence fails the test. A module of its own, not conftest.py (see tool_runner.py for why).
"""
import os
import re
import shutil
import subprocess
import tempfile
from typing import Dict, List, Optional

import pytest

CANDIDATES = ('chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable')


def chromium() -> str:
    """The Chromium binary; skips the calling test when there is none (fails it when ``$CI`` is set)."""
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    message = 'needs headless Chromium (apt-get install chromium); none of ' + ', '.join(CANDIDATES) + ' on PATH'
    if os.environ.get('CI'):
        pytest.fail(message + ' (CI is set: .ci/run installs it)')
    pytest.skip(message)


def _run(args: List[str], timeout: int) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix='chromium_') as profile:
        cmd = [chromium(), '--headless', '--disable-gpu', '--no-sandbox', '--disable-dev-shm-usage',
               '--no-first-run', '--allow-file-access-from-files', f'--user-data-dir={profile}', *args]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError(f'{" ".join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}')
    return proc


def dump_dom(path: str, budget_ms: int = 5000, timeout: int = 120) -> str:
    """The DOM of the local page ``path`` after its scripts ran and its images loaded (``budget_ms`` of virtual
    time), as HTML text."""
    return _run(['--run-all-compositor-stages-before-draw', f'--virtual-time-budget={budget_ms}', '--dump-dom',
                 'file://' + os.path.abspath(path)], timeout).stdout


def screenshot(path: str, png: str, size: str = '1280,900', budget_ms: int = 5000,
               timeout: int = 120) -> Optional[str]:
    """A PNG screenshot of the local page ``path`` at window ``size`` (``'width,height'``), written to ``png``."""
    _run(['--hide-scrollbars', f'--window-size={size}', f'--virtual-time-budget={budget_ms}',
          f'--screenshot={os.path.abspath(png)}', 'file://' + os.path.abspath(path)], timeout)
    return png if os.path.exists(png) else None


def body_data(dom: str) -> Dict[str, str]:
    """The ``data-*`` attributes of a dumped DOM's ``<body>`` (what a page's script wrote there)."""
    return dict(re.findall(r'data-([a-z-]+)="([^"]*)"', re.search(r'<body[^>]*>', dom).group(0)))


def run_script(path: str, script: str) -> Dict[str, str]:
    """Run ``script`` in the local page ``path`` after the page's own (as a user acting on it); returns the
    ``data-*`` attributes of ``<body>`` it left. The page is copied beside itself for this and the copy removed."""
    probe = os.path.join(os.path.dirname(path), '.probe-' + os.path.basename(path))
    with open(path, encoding='utf-8') as f:
        text = f.read()
    with open(probe, 'w', encoding='utf-8') as f:
        f.write(text.replace('</body>', f'<script>{script}</script></body>'))
    try:
        return body_data(dump_dom(probe))
    finally:
        os.unlink(probe)
