"""``configs/unlc/reference.py`` against the authors' uNLC, stage by stage.

``tools/unlc/dump_reference.py`` (run in the authors' environment) keeps, for a frame folder, the authors' masks and
what each of their stages produced. This runs mmmotion's config on the same frames and then again with the
authors' stages swapped in, one more at a time in pipeline order, so that each column's change in J is that
stage's share of the difference:

1. ``reference.py``: mmmotion alone (its own resizing, superpixels, descriptors, flow, saliency);
2. ``+ frames, superpixels``: the authors' resized frames and SLIC labels;
3. ``+ descriptors``: their region descriptors (so their graph, as mmmotion's graph code builds it);
4. ``+ flows``: their flows (Ce Liu's), through mmmotion's dominant-motion test and saliency;
5. ``+ saliency``: their initial saliency (appearance fallback included). Voting and blob clearing are then
   the only stages left to mmmotion; this column equals the authors' J when those match.

It also counts the flow pairs each flow calls static / pan / none (mmmotion's test on mmmotion's flow of the
authors' frames, and on the authors' flow), the frames with a dominant flow and whether the appearance fallback
was used. J is DAVIS J (:func:`mmmotion.evaluation.davis.region_similarity`) at the annotation's size, the masks
brought there by the config's nearest-neighbour resizing (:meth:`UNLC.upsample_mask`, as ``eval.py`` writes them;
the authors' from their PNGs).

Usage::

    python tools/unlc/compare_reference.py ../shared/data/davis16_dev work_dirs/authors \
        --config configs/unlc/reference.py --cfg-options max_side=600 [--sequences libby] \
        [--markdown out.md] [--json out.json]
"""
import argparse
import json
import os.path as osp
from collections import Counter
from typing import Callable, Dict, List, Optional, Tuple

import cv2
import numpy as np
from mmengine.config import DictAction

from mmmotion.unlc.graph import knn_transition_matrix
from mmmotion.unlc.motion_saliency import dominant_motion
from mmmotion.unlc.pipeline import UNLC
from mmmotion.unlc.voting import frame_offsets_of
from mmmotion.utils.fileio import atomic_write_text, list_frame_files

STEPS = ('reference.py', '+ frames, superpixels', '+ descriptors', '+ flows', '+ saliency')


class PairFlows:
    """A flow function that returns given flows: ``(small[i], small[k]) -> flows[(i, k)]``, the frames known by
    their content (the small frames :meth:`UNLC.flow_frames` makes for :meth:`UNLC.initial_saliency`; a frame
    repeated exactly is taken as its first occurrence)."""

    def __init__(self, small: np.ndarray, flows: Dict[Tuple[int, int], np.ndarray]):
        self.index = {}
        for i, frame in enumerate(small):
            self.index.setdefault(frame.tobytes(), i)
        self.flows = flows

    def __call__(self, source: np.ndarray, target: np.ndarray) -> np.ndarray:
        return self.flows[(self.index[source.tobytes()], self.index[target.tobytes()])]


def pair_kinds(flows: Dict[Tuple[int, int], np.ndarray], unlc: UNLC) -> Dict[Tuple[int, int], str]:
    """What mmmotion's dominant-motion test (the reference's, ``motion.camera_model=None``) calls each flow:
    'static', 'pan' or 'none'."""
    kw = unlc.motion_kwargs
    return {pair: dominant_motion(f, kw['static_threshold'], kw['direction_fraction'], kw['n_bins'], kw['box_size'],
                                  kw['static_power']).kind for pair, f in flows.items()}


def run_stages(unlc: UNLC, frames: np.ndarray, labels: np.ndarray, descriptors: Optional[np.ndarray] = None,
               flows: Optional[Dict[Tuple[int, int], np.ndarray]] = None,
               saliency: Optional[np.ndarray] = None) -> Tuple[np.ndarray, dict]:
    """mmmotion's stages after the superpixels, each replaced by what is given: ``descriptors`` (n_regions, d),
    ``flows`` {(i, k): (100, 100, 2)} at the flow size, ``saliency`` (n, h, w) at frame size. Returns the
    binary masks at frame size and, unless ``saliency`` is given, what the motion stage did: ``kinds`` (flow
    pairs per kind), ``dominant_frames``, ``motion`` (False: the appearance fallback) and ``flows``."""
    offsets = frame_offsets_of(labels)
    if descriptors is None:
        descriptors = np.concatenate([unlc.descriptor(f, l) for f, l in zip(frames, labels)])
    transition = knn_transition_matrix(descriptors.astype(np.float32), offsets, unlc.nn_searcher, **unlc.graph_kwargs)
    info = {}
    if saliency is None:
        own_flow = unlc.flow
        if flows is not None:
            unlc.flow = PairFlows(unlc.flow_frames(frames), flows)
        try:
            saliency = unlc.initial_saliency(frames, labels)
        finally:
            unlc.flow = own_flow
        kinds = pair_kinds(unlc._flows, unlc)  # the flows the saliency used, and what the test called them
        info['kinds'] = dict(Counter(kinds.values()))
        info['dominant_frames'] = len({i for (i, _), kind in kinds.items() if kind != 'none'})
        info['motion'] = unlc.used_motion
        info['flows'] = dict(unlc._flows)
    energy = unlc.consensus(transition, saliency, labels, offsets)
    _, binary = unlc.finalise(frames, energy)
    return binary, info


def mean_j(binary: np.ndarray, gts: np.ndarray, upsample: Optional[Callable] = None) -> float:
    """Mean DAVIS J of masks of any size against the ground truth, brought to its size by ``upsample``
    (``(mask, (width, height)) -> mask``, e.g. :meth:`UNLC.upsample_mask`; default OpenCV's nearest pixel)."""
    from mmmotion.evaluation.davis import region_similarity
    h, w = gts.shape[1:]
    if upsample is None:
        def upsample(mask, size):
            return cv2.resize(mask.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST) > 0
    return float(np.mean([region_similarity(b if b.shape == (h, w) else upsample(b, (w, h)), g)
                          for b, g in zip(binary, gts)]))


def compare_sequence(unlc: UNLC, davis_root: str, dump_dir: str, name: str, resolution: str = '480p') -> dict:
    """J of the authors' masks, of ``unlc`` and of each step of :data:`STEPS` on one sequence, with the flow
    statistics (see the module's docstring)."""
    from mmmotion.datasets.video_io import read_frames
    from mmmotion.evaluation.davis import read_mask
    dump = np.load(osp.join(dump_dir, 'dump.npz'))
    n = len(dump['frames'])
    image_dir = osp.join(davis_root, 'JPEGImages', resolution, name)
    stems = [osp.splitext(osp.basename(f))[0] for f in list_frame_files(image_dir)[:n]]
    gts = np.stack([read_mask(osp.join(davis_root, 'Annotations', resolution, name, s + '.png')) for s in stems])
    authors = np.stack([read_mask(osp.join(dump_dir, s + '.png')) for s in stems])
    frames = read_frames(image_dir, max_frames=n)
    row = dict(sequence=name, frames=n, authors=mean_j(authors, gts))
    _, binary = unlc(frames)
    row['reference.py'] = mean_j(binary, gts)
    row['motion'] = bool(unlc.used_motion)
    own = unlc.resize(frames)
    own_labels = np.stack([unlc.superpixels(f) for f in own])
    row['superpixels'] = [float(np.mean([l.max() + 1 for l in own_labels])),
                          float(np.mean([l.max() + 1 for l in dump['sp']]))]
    theirs, labels = dump['frames'], dump['sp']
    flows = {tuple(p): f for p, f in zip(dump['pairs'], dump['flows'])}
    binary, info = run_stages(unlc, theirs, labels)
    row[STEPS[1]] = mean_j(binary, gts, unlc.upsample_mask)
    binary, _ = run_stages(unlc, theirs, labels, dump['regions'])
    row[STEPS[2]] = mean_j(binary, gts, unlc.upsample_mask)
    binary, info_theirs = run_stages(unlc, theirs, labels, dump['regions'], flows)
    row[STEPS[3]] = mean_j(binary, gts, unlc.upsample_mask)
    binary, _ = run_stages(unlc, theirs, labels, dump['regions'], saliency=dump['saliency'])
    row[STEPS[4]] = mean_j(binary, gts, unlc.upsample_mask)
    row['kinds'] = [info['kinds'], info_theirs['kinds']]
    row['median_magnitude'] = [float(np.median([np.median(np.hypot(f[..., 0], f[..., 1])) for f in fl.values()]))
                               for fl in (info['flows'], flows)]
    row['dominant_frames'] = [info['dominant_frames'], info_theirs['dominant_frames']]
    row['fallback'] = [not info['motion'], not info_theirs['motion']]
    row['authors_fallback'] = bool(len(dump['mr']))
    return row


def format_rows(rows: List[dict]) -> str:
    """A markdown table of :func:`compare_sequence` rows and their mean."""
    head = ['sequence', 'authors', *STEPS, 'reference.py − authors',
            'flow pairs static/pan/none: mmmotion vs authors',
            'median flow magnitude (px at 100x100): mmmotion vs authors', 'dominant frames: mmmotion vs authors',
            'evidence: mmmotion vs authors']
    lines = ['| ' + ' | '.join(head) + ' |', '|---|' + '---:|' * (len(STEPS) + 2) + '---|---|---|---|']

    def kinds(k):
        return '/'.join(str(k.get(x, 0)) for x in ('static', 'pan', 'none'))

    for r in rows:
        lines.append('| ' + ' | '.join([
            r['sequence'], f"{r['authors']:.3f}", *(f'{r[s]:.3f}' for s in STEPS),
            f"{r['reference.py'] - r['authors']:+.3f}", f"{kinds(r['kinds'][0])} vs {kinds(r['kinds'][1])}",
            f"{r['median_magnitude'][0]:.2f} vs {r['median_magnitude'][1]:.2f}",
            f"{r['dominant_frames'][0]} vs {r['dominant_frames'][1]}",
            f"{'motion' if r['motion'] else 'appearance'} vs "
            f"{'appearance' if r['authors_fallback'] else 'motion'}"]) + ' |')
    if rows:
        mean = {k: np.mean([r[k] for r in rows]) for k in ('authors', *STEPS)}
        lines.append('| mean | ' + ' | '.join(f'{mean[k]:.3f}' for k in ('authors', *STEPS)) +
                     f" | {mean['reference.py'] - mean['authors']:+.3f} | | | | |")
    return '\n'.join(lines)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('davis_root', help='DAVIS 2016-layout root')
    parser.add_argument('dump_root', help="DUMP_ROOT/<sequence>/: tools/unlc/dump_reference.py's output")
    parser.add_argument('--config', default='configs/unlc/reference.py')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default=None)
    parser.add_argument('--sequences', nargs='+', default=None, help='default: every sequence DUMP_ROOT has')
    parser.add_argument('--resolution', default='480p')
    parser.add_argument('--markdown', default=None, help='also write the table to this file')
    parser.add_argument('--json', default=None, help='also write the rows to this file')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    import os
    from mmmotion.apis.segment import build_unlc
    args = parse_args(argv)
    unlc = build_unlc(args.config, args.cfg_options)
    names = args.sequences or sorted(d for d in os.listdir(args.dump_root)
                                     if osp.isfile(osp.join(args.dump_root, d, 'dump.npz')))
    rows = []
    for name in names:
        rows.append(compare_sequence(unlc, args.davis_root, osp.join(args.dump_root, name), name, args.resolution))
        print(format_rows(rows[-1:]).splitlines()[-2 if len(rows) else -1], flush=True)
    table = format_rows(rows)
    print(table)
    if args.markdown:
        atomic_write_text(args.markdown, table + '\n')
    if args.json:
        atomic_write_text(args.json, json.dumps(rows, indent=1) + '\n')
    return 0
