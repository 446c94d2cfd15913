"""A static HTML report of a generator run, built from its records and masks: what was kept and why the rest was not.

``REPORT_DIR`` (open ``index.html`` in a browser; no server, nothing from the network)::

    index.html              summary: videos ok / rejected / failed by reason, shots, frames kept and rejected
                            by rule, yield, histograms of the quality score and its terms, and with ground truth
                            (DAVIS masks or VOT boxes) the precision-yield curve of the kept frames
    list-0001.html ...      the videos, ``videos_per_page`` a page (sortable tables)
    videos/<video_id>.html  one video: its shots, its kept frames as thumbnails with the mask overlaid and their
                            quality terms, a sample of its rejected frames with their reason (sortable and
                            filterable by score and reason)
    thumbs/<video_id>/...   thumbnails, written once and reused
    figures/*.png           the summary's figures
    report_state.json       what each video page was built from (a rerun rebuilds only pages whose record changed)

A rerun after the generator's ``--resume`` writes the new videos' pages and thumbnails and refreshes the summary
and lists. Every file is written atomically (:mod:`mmmotion.utils.fileio`).
"""
import argparse
import hashlib
import html
import logging
import os
import os.path as osp
import shutil
import sys
from collections import Counter
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

from mmmotion.utils.fileio import atomic_write_json, atomic_write_text, dumps_json, read_json
from . import storage
from .frame_selection import FrameSelectionConfig
from .merge import record_ids, slim_record, summarise

logger = logging.getLogger('mmmotion.report')

STATE_FILE = 'report_state.json'
VERSION = 1  # bump when pages change shape: every page is rebuilt
TERMS = ('score', 'consistency', 'separation', 'off_border')
KEPT = 'kept'

CSS = """
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222;max-width:1400px}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.4em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}
td.n,th.n{text-align:right}table.sortable th{cursor:pointer;background:#f3f3f3}
.grid{display:flex;flex-wrap:wrap;gap:10px}.card{margin:0;width:260px;border:1px solid #ddd;padding:4px;font-size:.8em}
.card img{display:block;width:256px;height:auto}.card[hidden]{display:none}
.noimg{width:256px;height:60px;background:#eee;color:#666;display:flex;align-items:center;justify-content:center}
.kept{color:#1a7f37}.rejected{color:#b42318}.failed{color:#b42318;font-weight:bold}.controls{margin:.6em 0}
.controls>*{margin-right:1em}nav a{margin-right:1em}.note{color:#555;font-size:.9em}tr[hidden]{display:none}
"""

# Sorting and filtering the frame cards and tables, and counting loaded images (data-images-loaded on <body>).
JS = """
(function(){
function num(v){var x=parseFloat(v);return isNaN(x)?-Infinity:x;}
var grid=document.getElementById('cards');
if(grid){
 var sortSel=document.getElementById('sort'),reasonSel=document.getElementById('reason'),
     minIn=document.getElementById('minscore'),shown=document.getElementById('shown');
 var apply=function(){
  var p=sortSel.value.split(':'),key=p[0],dir=p[1]==='desc'?-1:1,min=parseFloat(minIn.value),n=0;
  var cards=Array.prototype.slice.call(grid.children);
  cards.sort(function(a,b){
   return dir*(num(a.dataset[key])-num(b.dataset[key]))||num(a.dataset.order)-num(b.dataset.order);});
  cards.forEach(function(c){
   var hide=(reasonSel.value!=='all'&&c.dataset.reason!==reasonSel.value)||(!isNaN(min)&&num(c.dataset.score)<min);
   c.hidden=hide;if(!hide){n++;}grid.appendChild(c);});
  shown.textContent=n+' of '+cards.length+' frames shown';document.body.dataset.shown=n;
 };
 [sortSel,reasonSel,minIn].forEach(function(e){e.addEventListener('change',apply);e.addEventListener('input',apply);});
 apply();
}
Array.prototype.forEach.call(document.querySelectorAll('table.sortable'),function(t){
 Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){th.addEventListener('click',function(){
  var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows),dir=th.dataset.dir==='asc'?-1:1;
  th.dataset.dir=dir>0?'asc':'desc';
  rows.sort(function(r,s){
   var a=r.cells[i].dataset.v||r.cells[i].textContent,c=s.cells[i].dataset.v||s.cells[i].textContent,
   x=parseFloat(a),y=parseFloat(c);return dir*(isNaN(x)||isNaN(y)?a.localeCompare(c):x-y);});
  rows.forEach(function(r){b.appendChild(r);});});});});
var filter=document.getElementById('filter');
if(filter){filter.addEventListener('input',function(){var q=filter.value.toLowerCase();
 Array.prototype.forEach.call(document.querySelectorAll('table.filterable tbody tr'),function(r){
  r.hidden=q!==''&&r.textContent.toLowerCase().indexOf(q)<0;});});}
window.addEventListener('load',function(){var imgs=Array.prototype.slice.call(document.images);
 document.body.dataset.imagesTotal=imgs.length;
 document.body.dataset.imagesLoaded=imgs.filter(function(i){return i.complete&&i.naturalWidth>0;}).length;});
})();
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>'
            f'<style>{CSS}</style></head>\n<body>\n{body}\n<script>{JS}</script>\n</body></html>\n')


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return '-'
    return f'{value:.{digits}f}' if isinstance(value, float) else str(value)


def _table(header: Optional[Sequence[str]], rows: Iterable[Sequence[Any]], cls: str = '') -> str:
    """An HTML table (no head row for ``header`` None); a cell is text, or ``(text, attributes)`` with the text and
    attributes already escaped."""
    head = f'<thead><tr>{"".join(f"<th>{_e(h)}</th>" for h in header)}</tr></thead>' if header else ''
    body = []
    for row in rows:
        cells = []
        for cell in row:
            text, attrs = cell if isinstance(cell, tuple) else (_e(cell), '')
            cells.append(f'<td{attrs}>{text}</td>')
        body.append('<tr>' + ''.join(cells) + '</tr>')
    return f'<table class="{cls}">{head}<tbody>{"".join(body)}</tbody></table>'


def _count(key: str, value: Any) -> tuple:
    """A numeric cell the browser test reads back (``data-count``)."""
    return _e(value), f' class="n" data-count="{_e(key)}" data-v="{_e(value)}"'


def _fingerprint(path: str) -> List[int]:
    st = os.stat(path)
    return [st.st_size, st.st_mtime_ns]


def frame_table(record: Dict[str, Any]) -> List[Dict[str, Any]]:
    """One row per segmented frame of a record: ``shot``, ``frame``, ``reason`` (``'kept'`` for a frame in the
    dataset; a frame that passed the rules of a shot or video rejected later gets the shot's or video's reason),
    ``fg``, ``border_fg`` and the quality terms."""
    kept = {(im['shot'], im['frame_index']) for im in record.get('images', [])}
    video_reason = (record.get('reason') or 'not_kept').split(':')[0]
    rows = []
    for shot in record.get('shots', []):
        shot_reason = (shot.get('reason') or '').split(':')[0]
        for f in shot.get('frames', []):
            if (shot['shot'], f['frame']) in kept:
                reason = KEPT
            else:
                reason = f['reason'] or shot_reason or video_reason
            rows.append(dict(shot=shot['shot'], frame=f['frame'], reason=reason, fg=f['fg'], border_fg=f['border_fg'],
                             **{k: f['quality'][k] for k in TERMS}))
    return rows


def _video_entry(record: Dict[str, Any], fingerprint: List[int]) -> Dict[str, Any]:
    """What the summary and the lists need of a video, kept in the state file between runs."""
    rows = frame_table(record)
    kept_scores = [r['score'] for r in rows if r['reason'] == KEPT]
    return dict(fingerprint=fingerprint, slim=slim_record(record),
                shots=len(record.get('shots', [])),
                mean_kept_score=round(float(np.mean(kept_scores)), 4) if kept_scores else None,
                quality=[[round(r[k], 4) for k in TERMS] + [int(r['reason'] == KEPT)] for r in rows])


def _sample(rows: List[Dict[str, Any]], k: int) -> List[Dict[str, Any]]:
    """Up to ``k`` of ``rows``, evenly spaced within each reason, every reason represented, in frame order."""
    if k <= 0 or not rows:
        return []
    by_reason: Dict[str, List[Dict[str, Any]]] = {}
    for r in rows:
        by_reason.setdefault(r['reason'], []).append(r)
    picked = []
    for group in by_reason.values():
        quota = min(len(group), max(1, round(k * len(group) / len(rows))))
        picked += [group[i] for i in np.unique(np.linspace(0, len(group) - 1, quota).round().astype(int))]
    picked.sort(key=lambda r: (r['shot'], r['frame']))
    return picked[:max(k, len(by_reason))]


def _thumbnail(gen_dir: str, out_dir: str, image: Dict[str, Any], side: int) -> Tuple[Optional[str], bool]:
    """(path of the thumbnail relative to ``out_dir``, whether it was written now) of a kept frame with its mask
    overlaid; an existing thumbnail is reused; (None, False) when the frame's image is missing (logged)."""
    import cv2
    from pycocotools import mask as mask_utils

    from mmmotion.utils.fileio import resize_longest_side
    from mmmotion.visualization.overlay import overlay_mask
    rel = osp.join('thumbs', osp.splitext(image['file_name'])[0] + '.jpg')
    path = osp.join(out_dir, rel)
    if osp.exists(path):
        return rel, False
    src = osp.join(gen_dir, storage.IMAGES_DIR, image['file_name'])
    bgr = cv2.imread(src, cv2.IMREAD_COLOR)
    if bgr is None:
        logger.warning('%s: missing or unreadable; its frame has no thumbnail', src)
        return None, False
    mask = mask_utils.decode(image['segmentation']).astype(bool)
    rgb = overlay_mask(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), mask)
    storage.write_jpeg(path, resize_longest_side(rgb, side), quality=85)
    return rel, True


class GroundTruth:
    """Scores of the kept frames against DAVIS masks or VOT boxes, through the generator evaluation's own code
    (:mod:`mmmotion.experiments.generated_eval`): a record is matched to the sequence whose frame folder it was
    listed as."""

    def __init__(self, root: str, layout: str, resolution: str = '480p'):
        from mmmotion.experiments import generated_eval
        self.eval = generated_eval
        self.args = generated_eval.parse_args([root, '--out', '-', '--layout', layout, '--resolution', resolution])
        self.key = 'J' if layout == 'davis' else 'hit'
        self.folders = {name: osp.realpath(folder) for name, folder in generated_eval.sequences_of(self.args).items()}

    def sequence_of(self, source: str) -> Optional[str]:
        """The sequence a record's listed ``source`` is (an absolute path: that folder; a relative one: the
        only sequence folder ending with it), or None."""
        if osp.isabs(source):
            found = [n for n, f in self.folders.items() if f == osp.realpath(source)]
        else:
            tail = os.sep + osp.normpath(source)
            found = [n for n, f in self.folders.items() if f.endswith(tail)]
        return found[0] if len(found) == 1 else None

    def rows(self, record: Dict[str, Any]) -> List[Dict[str, Any]]:
        """Rows of the record's kept frames (as :func:`~mmmotion.evaluation.frame_selection.shot_rows` makes
        them) with their ground-truth scores; none when the video is no sequence of the root."""
        from pycocotools import mask as mask_utils
        name = self.sequence_of(record['source'])
        if name is None or not record.get('images'):
            return []
        quality = {(s['shot'], f['frame']): f for s in record['shots'] for f in s.get('frames', [])}
        rows = []
        for im in record['images']:
            f = quality[(im['shot'], im['frame_index'])]
            rows.append(dict(video=record['video_id'], shot=im['shot'], frame=im['frame_index'], kept=True,
                             reason=None, fg=f['fg'], border_fg=f['border_fg'],
                             **{f'q_{k}': v for k, v in f['quality'].items()},
                             mask=mask_utils.decode(im['segmentation']).astype(bool)))
        self.eval.score_rows(self.args, name, record, rows)
        return rows

    def curve(self, rows: List[Dict[str, Any]], n_segmented: int, fs_cfg: FrameSelectionConfig) -> List[dict]:
        """The precision-yield curve from the run's ``min_quality`` upward: the frame rules re-applied to the
        kept frames (:func:`~mmmotion.evaluation.frame_selection.precision_yield`) with ``min_quality`` raised to
        quantiles of their scores; ``share`` is of the ``n_segmented`` frames of the scored videos."""
        from mmmotion.evaluation.frame_selection import precision_yield
        scores = np.array([r['q_score'] for r in rows])
        start = fs_cfg.min_quality if fs_cfg.min_quality is not None else 0.0
        thresholds = np.unique(np.append(np.round(np.quantile(scores, np.linspace(0, 0.95, 20)), 4), start))
        curve = precision_yield(rows, [r[self.key] for r in rows], fs_cfg, thresholds[thresholds >= start])
        return [dict(p, share=p['kept'] / max(n_segmented, 1)) for p in curve]


def _quality_figure(path: str, quality: np.ndarray) -> None:
    """Histograms of the quality score and its terms over every segmented frame, kept and not kept."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    from mmmotion.visualization.transfer_plots import save_figure
    fig, axes = plt.subplots(2, 2, figsize=(8, 5.6))
    kept = quality[:, -1] > 0
    bins = np.linspace(0, 1, 21)
    for i, (ax, term) in enumerate(zip(axes.flat, TERMS)):
        ax.hist([quality[kept, i], quality[~kept, i]], bins=bins, stacked=True, color=['#1a7f37', '#b42318'],
                label=[f'kept ({kept.sum()})', f'not kept ({(~kept).sum()})'])
        ax.set_xlabel(term)
        ax.set_ylabel('frames')
    axes[0, 0].legend(fontsize=8)
    save_figure(fig, path, 'quality score (the product of the three terms), every segmented frame')


def _video_page(record: Dict[str, Any], thumbs: Dict[tuple, Optional[str]], truth: Dict[tuple, float],
                truth_key: Optional[str], rejected_sample: int) -> str:
    """The page of one video."""
    vid = record['video_id']
    rows = frame_table(record)
    kept = [r for r in rows if r['reason'] == KEPT]
    shown = kept + _sample([r for r in rows if r['reason'] != KEPT], rejected_sample)
    status = record['status']
    facts = [('source', record['source']), ('status', status), ('reason', record.get('reason') or '-'),
             ('size', f"{record.get('width', '?')}x{record.get('height', '?')} "
                      f"(processed at {record.get('proc_width', '?')}x{record.get('proc_height', '?')})"),
             ('frames', record.get('num_frames', 0)), ('frames segmented', len(rows)), ('frames kept', len(kept))]
    body = [f'<nav><a href="../index.html">summary</a></nav><h1>{_e(vid)} '
            f'<span class="{_e(status)}">({_e(status)})</span></h1>',
            _table(None, facts)]
    shot_rows = [(s['shot'], f"{s['start']}-{s['end']}", s.get('sampled', '-'), s.get('status') or '-',
                  s.get('reason') or '-', sum(1 for r in kept if r['shot'] == s['shot']))
                 for s in record.get('shots', [])]
    body += ['<h2>Shots</h2>',
             _table(['shot', 'frames', 'segmented', 'status', 'reason', 'kept'], shot_rows, 'sortable')
             if shot_rows else '<p>no shot</p>']
    body.append(f'<h2>Frames: {len(kept)} kept, a sample of {len(shown) - len(kept)} of the '
                f'{len(rows) - len(kept)} not kept</h2>')
    if not shown:
        return _page(vid, '\n'.join(body + ['<p>no segmented frame</p>']))
    sort_keys = [('score:desc', 'score, high first'), ('score:asc', 'score, low first'), ('order:asc', 'frame order')]
    sort_keys += [(f'{k}:asc', f'{k}, low first') for k in ('consistency', 'separation', 'offborder')]
    if truth_key:
        sort_keys += [('truth:asc', f'{truth_key}, low first'), ('truth:desc', f'{truth_key}, high first')]
    reasons = Counter(r['reason'] for r in shown)
    body.append('<div class="controls"><label>sort <select id="sort">'
                + ''.join(f'<option value="{v}">{_e(t)}</option>' for v, t in sort_keys)
                + '</select></label><label>show <select id="reason"><option value="all">all</option>'
                + ''.join(f'<option value="{_e(r)}">{_e(r)} ({n})</option>' for r, n in sorted(reasons.items()))
                + '</select></label><label>min score <input id="minscore" type="number" min="0" max="1" '
                  'step="0.05"></label><span id="shown"></span></div>')
    cards = []
    for order, r in enumerate(shown):
        key = (r['shot'], r['frame'])
        value = truth.get(key)
        data = dict(order=order, frame=r['frame'], reason=r['reason'], score=r['score'], consistency=r['consistency'],
                    separation=r['separation'], offborder=r['off_border'])
        if value is not None:
            data['truth'] = value
        attrs = ' '.join(f'data-{k}="{_e(v)}"' for k, v in data.items())
        thumb = thumbs.get(key)
        if thumb:
            picture = f'<img src="../{_e(thumb)}" alt="shot {r["shot"]} frame {r["frame"]}">'
        elif r['reason'] == KEPT:
            picture = '<div class="noimg">image missing</div>'
        else:
            picture = '<div class="noimg">not kept: no image written</div>'
        verdict = 'kept' if r['reason'] == KEPT else f'not kept: {r["reason"]}'
        truth_text = f', {truth_key} {_fmt(value)}' if value is not None else ''
        cards.append(f'<figure class="card" {attrs}>{picture}<figcaption>shot {r["shot"]}, frame {r["frame"]}: '
                     f'<span class="{"kept" if r["reason"] == KEPT else "rejected"}">{_e(verdict)}</span><br>'
                     f'score {_fmt(r["score"])} (consistency {_fmt(r["consistency"])}, separation '
                     f'{_fmt(r["separation"])}, off border {_fmt(r["off_border"])}), fg {_fmt(r["fg"])}'
                     f'{truth_text}</figcaption></figure>')
    body.append('<div id="cards" class="grid">' + ''.join(cards) + '</div>')
    body.append('<p class="note">The generator writes no image of a frame it does not keep: those are listed '
                'with their reason and scores.</p>')
    return _page(vid, '\n'.join(body))


def _list_page(entries: List[Tuple[str, Dict[str, Any]]], page: int, n_pages: int, truth_means: Dict[str, float],
               truth_key: Optional[str]) -> str:
    header = ['video', 'status', 'reason', 'shots', 'shots kept', 'frames segmented', 'frames kept',
              'mean score of kept'] + ([f'mean {truth_key} of kept'] if truth_key else [])
    rows = []
    for vid, e in entries:
        s, st = e['slim'], e['slim']['stats']
        row = [(f'<a href="videos/{_e(vid)}.html">{_e(vid)}</a>', ''), s['status'], s.get('reason') or '',
               (e['shots'], ' class="n"'), (st['shots_kept'], ' class="n"'),
               (st['frames_segmented'], ' class="n"'), (st['frames_kept'], ' class="n"'),
               (_fmt(e['mean_kept_score']), ' class="n"')]
        if truth_key:
            row.append((_fmt(truth_means.get(vid)), ' class="n"'))
        rows.append(row)
    nav = ' '.join(f'<a href="list-{i:04d}.html">{i}</a>' if i != page else f'<b>{i}</b>'
                   for i in range(1, n_pages + 1))
    body = (f'<nav><a href="index.html">summary</a> pages: {nav}</nav><h1>Videos, page {page} of {n_pages}</h1>'
            '<div class="controls"><label>filter <input id="filter" placeholder="id, status or reason"></label>'
            '<span class="note">click a column to sort</span></div>'
            + _table(header, rows, 'sortable filterable'))
    return _page(f'videos, page {page}', body)


def _summary_page(gen_dir: str, summary: Dict[str, Any], n_pages: int, per_page: int, fs_cfg: FrameSelectionConfig,
                  has_quality: bool, curve: Optional[List[dict]], truth_key: Optional[str], truth_note: str) -> str:
    v, sh, fr = summary['videos'], summary['shots'], summary['frames']
    by_status = Counter((r['status'], r['reason'].split(':')[0]) for r in summary['rejected_videos'])
    body = [f'<h1>Generator run: {_e(osp.basename(osp.normpath(gen_dir)))}</h1>',
            f'<p class="note">{_e(osp.abspath(gen_dir))}</p>', '<h2>Videos</h2>',
            _table(['total', 'ok', 'rejected', 'failed'],
                   [[_count('videos.total', v['total']), _count('videos.ok', v['ok']),
                     _count('videos.rejected', v['rejected']), _count('videos.failed', v['failed'])]])]
    if by_status:
        body.append(_table(['status', 'reason', 'videos'],
                           [[s, r, _count(f'videos.{s}.{r}', n)] for (s, r), n in sorted(by_status.items())]))
    body += ['<h2>Shots</h2>',
             _table(['kept', 'rejected'] + sorted(sh['reasons']),
                    [[_count('shots.kept', sh['kept']), _count('shots.rejected', sh['rejected'])]
                     + [_count(f'shots.{k}', sh['reasons'][k]) for k in sorted(sh['reasons'])]]),
             '<h2>Frames</h2>',
             _table(['segmented', 'kept', 'not selected', 'rejected'] + sorted(fr['reasons']),
                    [[_count('frames.segmented', fr['segmented']), _count('frames.kept', fr['kept']),
                      _count('frames.not_selected', fr['not_selected']), _count('frames.rejected', fr['rejected'])]
                     + [_count(f'frames.{k}', fr['reasons'][k]) for k in sorted(fr['reasons'])]])]
    frame_yield = fr['kept'] / fr['segmented'] if fr['segmented'] else float('nan')
    video_yield = v['ok'] / v['total'] if v['total'] else float('nan')
    body.append(f'<p>Yield: <span data-count="yield.frames">{_fmt(frame_yield)}</span> of the segmented frames '
                f'kept, <span data-count="yield.videos">{_fmt(video_yield)}</span> of the videos give frames; '
                f'{_fmt(fr["kept"] / v["ok"], 1) if v["ok"] else "-"} frames per such video.</p>')
    rules = ', '.join(f'{k} {v}' for k, v in vars(fs_cfg).items())
    body.append(f'<p class="note">Frame rules of this run (meta.json): {_e(rules)}.</p>')
    body.append('<h2>Quality score</h2>')
    body.append('<img src="figures/quality.png" alt="quality histograms">' if has_quality
                else '<p>no segmented frame</p>')
    if truth_key:
        body.append(f'<h2>Precision-yield against the ground truth</h2><p class="note">{_e(truth_note)}</p>')
        if curve:
            body.append('<img src="figures/precision_yield.png" alt="precision-yield curve">')
            body.append(_table(['min_quality', 'frames kept', 'share of segmented', f'{truth_key} of kept'],
                               [[_fmt(p['min_quality'], 4), p['kept'], _fmt(p['share']), _fmt(p['value'])]
                                for p in curve], 'sortable'))
        else:
            body.append('<p>no kept frame of a ground-truth sequence</p>')
    links = ' '.join(f'<a href="list-{i:04d}.html">{(i - 1) * per_page + 1}-{min(i * per_page, v["total"])}</a>'
                     for i in range(1, n_pages + 1))
    body.append(f'<h2>Videos ({v["total"]}, {per_page} a page)</h2><p>{links or "none"}</p>')
    return _page('generator run report', '\n'.join(body))


def build_report(gen_dir: str,
                 out_dir: str,
                 davis_root: Optional[str] = None,
                 vot_root: Optional[str] = None,
                 resolution: str = '480p',
                 videos_per_page: int = 100,
                 rejected_sample: int = 24,
                 thumb_side: int = 256) -> Dict[str, Any]:
    """Build or update the HTML report of the generator output ``gen_dir`` in ``out_dir``.

    Args:
        gen_dir: a dataset directory of :func:`~mmmotion.pseudo_gt.generate_dataset` (its ``records/`` are read;
            a run in progress or not yet merged works too).
        out_dir: where the report goes; a report already there is updated: pages of videos whose record is new
            or changed are (re)written, the others and their thumbnails are kept.
        davis_root, vot_root: ground truth (DAVIS 2016 layout, or VOT layout) for the videos that are its
            sequences: each kept frame's J (or box hit), and the precision-yield curve.
        resolution: the DAVIS resolution folder.
        videos_per_page: rows of each list page.
        rejected_sample: not-kept frames listed per video page.
        thumb_side: longer side of the thumbnails in pixels.

    Returns:
        ``videos``, ``pages_written`` (video ids), ``thumbnails_written``, ``list_pages``, ``index`` (path).
    """
    if davis_root and vot_root:
        raise ValueError('give --davis-root or --vot-root, not both')
    if not osp.isdir(osp.join(gen_dir, storage.RECORDS_DIR)):
        raise FileNotFoundError(f'{gen_dir} has no {storage.RECORDS_DIR}/: not the output of the generator '
                                '(tools/unlc/generate_dataset.py)')
    if videos_per_page < 1:
        raise ValueError(f'videos_per_page must be at least 1, got {videos_per_page}')
    meta_path = osp.join(gen_dir, storage.META_FILE)
    meta = read_json(meta_path) if osp.exists(meta_path) else {}
    fs_cfg = FrameSelectionConfig(**meta.get('generator', {}).get('frame_selection', {}))
    options = dict(version=VERSION, thumb_side=thumb_side, rejected_sample=rejected_sample,
                   gen_dir=osp.abspath(gen_dir))
    state_path = osp.join(out_dir, STATE_FILE)
    state = read_json(state_path) if osp.exists(state_path) else {}
    before = state.get('options', {})
    if (before.get('thumb_side'), before.get('gen_dir')) != (thumb_side, options['gen_dir']):
        shutil.rmtree(osp.join(out_dir, 'thumbs'), ignore_errors=True)
        state = {}
    old = state.get('videos', {})
    ids = record_ids(gen_dir)
    entries: Dict[str, Dict[str, Any]] = {}
    for vid in ids:  # one record in memory at a time, whatever the number of videos
        path = storage.record_path(gen_dir, vid)
        fp = _fingerprint(path)
        if vid in old and old[vid]['fingerprint'] == fp:
            entries[vid] = old[vid]
            continue
        entries[vid] = _video_entry(storage.read_json(path), fp)
        shutil.rmtree(osp.join(out_dir, 'thumbs', vid), ignore_errors=True)  # a changed record: new images
    for vid in set(old) - set(entries):  # records gone
        shutil.rmtree(osp.join(out_dir, 'thumbs', vid), ignore_errors=True)
        page = osp.join(out_dir, 'videos', f'{vid}.html')
        if osp.exists(page):
            os.unlink(page)

    truth, truth_rows, n_truth_segmented, truth_note = None, [], 0, ''
    truth_values: Dict[str, Dict[tuple, float]] = {}
    if davis_root or vot_root:
        truth = GroundTruth(davis_root or vot_root, 'davis' if davis_root else 'vot', resolution)
        for vid in ids:
            if truth.sequence_of(entries[vid]['slim']['source']) is None:
                continue
            n_truth_segmented += entries[vid]['slim']['stats']['frames_segmented']
            rows = truth.rows(storage.read_json(storage.record_path(gen_dir, vid)))
            truth_rows += rows
            truth_values[vid] = {(r['shot'], r['frame']): float(r[truth.key]) for r in rows}
        truth_note = (f'{len({r["video"] for r in truth_rows})} video(s) matched to sequences of '
                      f'{davis_root or vot_root}; the generator keeps no mask of a frame it rejects, so the curve '
                      f'starts at this run\'s min_quality ({fs_cfg.min_quality}) and raises it over the kept frames '
                      '(share: of all frames segmented in those videos); tools/unlc/eval_generated.py --curve sweeps '
                      'the whole range.')
    written, n_thumbs = [], 0
    for vid in ids:
        values = truth_values.get(vid, {})
        key = hashlib.sha1(dumps_json([entries[vid]['fingerprint'], options, truth is not None and truth.key,
                                       sorted([list(k), round(v, 6)] for k, v in values.items())]).encode()
                           ).hexdigest()
        page = osp.join(out_dir, 'videos', f'{vid}.html')
        if entries[vid].get('page_key') == key and osp.exists(page):
            continue
        rec = storage.read_json(storage.record_path(gen_dir, vid))
        thumbs = {}
        for im in rec.get('images', []):
            thumbs[(im['shot'], im['frame_index'])], new = _thumbnail(gen_dir, out_dir, im, thumb_side)
            n_thumbs += new
        atomic_write_text(page, _video_page(rec, thumbs, values, truth.key if truth else None, rejected_sample))
        entries[vid] = dict(entries[vid], page_key=key)
        written.append(vid)
    summary = summarise(e['slim'] for e in entries.values())
    quality = np.array([q for e in entries.values() for q in e['quality']], np.float64).reshape(-1, len(TERMS) + 1)
    if len(quality):
        _quality_figure(osp.join(out_dir, 'figures', 'quality.png'), quality)
    curve = None
    if truth is not None and truth_rows:
        curve = truth.curve(truth_rows, n_truth_segmented, fs_cfg)
        truth.eval.draw_curves(osp.join(out_dir, 'figures', 'precision_yield.png'), {'kept frames': curve},
                               curve[0]['min_quality'], f'{truth.key} of kept frames',
                               f'{truth.key} of kept frames vs share of segmented frames kept, min_quality raised')
    n_pages = max(1, -(-len(ids) // videos_per_page))
    truth_means = {vid: float(np.mean(list(v.values()))) for vid, v in truth_values.items() if v}
    for page in range(1, n_pages + 1):
        chunk = [(vid, entries[vid]) for vid in ids[(page - 1) * videos_per_page:page * videos_per_page]]
        atomic_write_text(osp.join(out_dir, f'list-{page:04d}.html'),
                          _list_page(chunk, page, n_pages, truth_means, truth.key if truth else None))
    for name in os.listdir(out_dir):  # list pages of a longer run before
        if name.startswith('list-') and name.endswith('.html') and int(name[5:9]) > n_pages:
            os.unlink(osp.join(out_dir, name))
    index = osp.join(out_dir, 'index.html')
    atomic_write_text(index, _summary_page(gen_dir, summary, n_pages, videos_per_page, fs_cfg, bool(len(quality)),
                                           curve, truth.key if truth else None, truth_note))
    atomic_write_json(state_path, dict(options=options, videos=entries))
    return dict(videos=len(ids), pages_written=written, thumbnails_written=n_thumbs, list_pages=n_pages,
                index=index)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='A static HTML report of a generator run (records and masks)')
    parser.add_argument('gen_dir', help='the generator\'s output directory (tools/unlc/generate_dataset.py --out)')
    parser.add_argument('--out', required=True, help='the report directory (open its index.html)')
    truth = parser.add_mutually_exclusive_group()
    truth.add_argument('--davis-root', help='DAVIS 2016-layout root: J of the kept frames of its sequences and the '
                       'precision-yield curve')
    truth.add_argument('--vot-root', help='VOT-layout root: box hits of the kept frames of its sequences')
    parser.add_argument('--resolution', default='480p', help='DAVIS resolution folder')
    parser.add_argument('--videos-per-page', type=int, default=100)
    parser.add_argument('--rejected-sample', type=int, default=24, help='frames not kept listed per video page')
    parser.add_argument('--thumb-side', type=int, default=256, help='longer side of a thumbnail (pixels)')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format='%(levelname)s %(message)s')
    try:
        result = build_report(args.gen_dir, args.out, args.davis_root, args.vot_root, args.resolution,
                              args.videos_per_page, args.rejected_sample, args.thumb_side)
    except (FileNotFoundError, ValueError) as error:
        print(f'error: {error}', file=sys.stderr)
        return 1
    print(f'{result["videos"]} video(s): {len(result["pages_written"])} page(s) and {result["thumbnails_written"]} '
          f'thumbnail(s) written, {result["list_pages"]} list page(s) -> {result["index"]}')
    return 0
