"""Study: "the ConvNet beats its teacher" on real video (Pathak et al., CVPR 2017, Sec. 5).

uNLC (the teacher) segments each video; its masks of the frames the generator selects train MotionMask,
leaving one video out at a time; on the held-out video's frames the ConvNet's single-frame masks, uNLC's
masks and a trivial centred-box prior are scored against the ground truth (J, DAVIS region similarity).

Protocol of the ConvNet's full-frame mask (:func:`predict_frame_masks`): the whole frame is letterboxed
into a square (side = the longer side, centred, padding outside the frame) and resized to 227x227; the
network's 56x56 probabilities are upsampled bilinearly to that square, the frame's part is cut out
(854x480 for DAVIS) and thresholded at 0.5. Training crops are the same letterboxed whole frame,
jittered in scale and position (``FrameAsObject`` then ``JitteredObjectCrop``, in
:mod:`mmmotion.datasets.transforms`), so the network sees at test time what it saw in training.

Pure parts: the fold split, the letterbox geometry, the box prior, the per-video scores and their
summary, the table and the panels. The stage functions (:func:`teacher_masks`, :func:`pseudo_gt_dataset`,
:func:`train_fold`, :func:`evaluate_fold`) read and write files and reuse finished work; the tool
(``tools/studies/teacher_vs_convnet.py``) strings them together and shows progress.
"""
import hashlib
import json
import os
import os.path as osp
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import cv2
import numpy as np

from mmmotion.evaluation.davis import annotation_stems, read_mask, region_similarity
from mmmotion.utils.fileio import atomic_write_json, list_frame_files, read_json

STUDY = 'teacher_vs_convnet'
CONFIG = 'configs/studies/teacher/motionmask_alexnet-bn_davis-loo_tiny.py'
METHODS = ('unlc', 'convnet', 'box')  # scored against the ground truth; convnet also against uNLC
DONE_FILE = 'result.json'


# ----------------------------------------------------------------------------------------------- pure parts
def folds(videos: Sequence[str]) -> List[Tuple[str, List[str]]]:
    """Leave-one-video-out folds: ``[(held_out, training videos), ...]`` in the order given."""
    videos = list(videos)
    if len(set(videos)) != len(videos):
        raise ValueError(f'videos are not distinct: {videos}')
    if len(videos) < 2:
        raise ValueError(f'leave-one-out needs at least 2 videos, got {videos}')
    return [(v, [u for u in videos if u != v]) for v in videos]


def letterbox(height: int, width: int) -> np.ndarray:
    """The square (x1, y1, x2, y2) of side ``max(h, w)`` centred on an (h, w) frame."""
    side = float(max(height, width))
    x1, y1 = (width - side) / 2, (height - side) / 2
    return np.array([x1, y1, x1 + side, y1 + side], np.float32)


def warp_to_square(image: np.ndarray, square: np.ndarray, size: int, interp: int = cv2.INTER_LINEAR,
                   fill=0) -> np.ndarray:
    """The part of ``image`` inside ``square`` (x1, y1, x2, y2, pixel edges) resized to (size, size);
    outside the image: ``fill`` (the training crops' warp, ``JitteredObjectCrop._warp``)."""
    from mmmotion.datasets.transforms.object_crop import JitteredObjectCrop
    return JitteredObjectCrop._warp(image, square, size, interp, fill)


def square_to_frame(probs: np.ndarray, square: np.ndarray, height: int, width: int) -> np.ndarray:
    """Map an (s, s) map over ``square`` back onto the (h, w) frame (bilinear): the inverse of
    :func:`warp_to_square`."""
    s = probs.shape[0]
    scale = s / float(square[2] - square[0])
    matrix = np.array([[scale, 0, (0.5 - square[0]) * scale - 0.5],
                       [0, scale, (0.5 - square[1]) * scale - 0.5]], np.float64)
    return cv2.warpAffine(probs.astype(np.float32), matrix, (width, height),
                          flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE)


def box_prior(height: int, width: int, fraction: float = 0.5) -> np.ndarray:
    """The trivial baseline: a centred box covering ``fraction`` of the height and of the width, (h, w) bool."""
    mask = np.zeros((height, width), bool)
    bh, bw = round(height * fraction), round(width * fraction)
    y0, x0 = (height - bh) // 2, (width - bw) // 2
    mask[y0:y0 + bh, x0:x0 + bw] = True
    return mask


def j_scores(preds: Sequence[np.ndarray], refs: Sequence[np.ndarray]) -> np.ndarray:
    """Per-frame J (IoU) of two equally long sequences of (h, w) masks."""
    if len(preds) != len(refs):
        raise ValueError(f'{len(preds)} masks to compare with {len(refs)}')
    return np.array([region_similarity(p, r) for p, r in zip(preds, refs)], float)


def mean_spread(values: Iterable[float]) -> Tuple[float, float, int]:
    """(mean, sample standard deviation (0 for one value), count) of finite values; nan without any."""
    from .report import mean_std
    finite = [float(x) for x in values if np.isfinite(x)]
    if not finite:
        return float('nan'), float('nan'), 0
    return (*mean_std(finite), len(finite))


def summarise(rows: Sequence[Dict[str, Any]],
              value: str = 'J_mean') -> Dict[Tuple[str, str, str], Tuple[float, float, int]]:
    """``{(video, method, reference): (mean, spread, n)}`` of the rows' ``value`` over seeds, and
    ``('mean', ...)``: the mean over videos, computed per seed and then spread over seeds (a method
    without seeds has one value). Rows without ``value`` are left out."""
    cells: Dict[Tuple[str, str, str], Dict[str, float]] = {}
    for row in rows:
        if row.get(value) in (None, ''):
            continue
        key = (row['video'], row['method'], row['reference'])
        cells.setdefault(key, {})[str(row['seed'])] = float(row[value])
    out = {key: mean_spread(by_seed.values()) for key, by_seed in cells.items()}
    videos = sorted({k[0] for k in cells})
    for method, reference in sorted({k[1:] for k in cells}):
        per_video = [cells.get((v, method, reference), {}) for v in videos]
        if not all(per_video):
            continue
        seeds = set.intersection(*(set(c) for c in per_video))
        out[('mean', method, reference)] = mean_spread(np.mean([c[s] for c in per_video]) for s in sorted(seeds))
    return out


METHOD_LABELS = {('unlc', 'gt'): 'uNLC (teacher) vs GT', ('convnet', 'gt'): 'ConvNet vs GT',
                 ('box', 'gt'): 'centred box vs GT', ('convnet', 'unlc'): 'ConvNet vs uNLC (agreement)'}


FG_LABELS = {('gt', 'gt'): 'ground truth', ('unlc', 'gt'): 'uNLC', ('convnet', 'gt'): 'ConvNet',
             ('box', 'gt'): 'centred box'}  # columns of the foreground-fraction table


def format_table(summary: Dict[Tuple[str, str, str], Tuple[float, float, int]],
                 videos: Sequence[str], frames: Dict[str, int], labels: Optional[Dict[Tuple[str, str], str]] = None,
                 digits: int = 3) -> str:
    """A markdown table: one row per held-out video (and the mean over videos), one column per
    comparison of ``labels`` (default :data:`METHOD_LABELS`) in the summary, ``mean ± spread (n)`` over seeds."""
    labels = labels or METHOD_LABELS
    columns = [c for c in labels if any(k[1:] == c for k in summary)]
    lines = ['| held-out video | frames | ' + ' | '.join(labels[c] for c in columns) + ' |',
             '|---|---|' + '---|' * len(columns)]
    for video in list(videos) + ['mean']:
        cells = []
        for c in columns:
            mean, spread, n = summary.get((video, *c), (float('nan'), float('nan'), 0))
            cells.append('–' if not n else f'{mean:.{digits}f}' + (f' ± {spread:.{digits}f} ({n})' if n > 1 else ''))
        count = sum(frames.values()) if video == 'mean' else frames.get(video, 0)
        name = 'mean of videos' if video == 'mean' else video
        lines.append(f'| {name} | {count} | ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)


def panel_rows(frame: np.ndarray, gt: np.ndarray, teacher: np.ndarray, convnet: np.ndarray,
               width: int = 160) -> np.ndarray:
    """One figure row, frame | ground truth | uNLC | ConvNet (masks overlaid), each ``width`` wide."""
    from mmmotion.visualization.overlay import GT_COLOUR, PRED_COLOUR, SECOND_COLOUR, overlay_row
    return overlay_row(frame, [(gt, GT_COLOUR), (teacher, SECOND_COLOUR), (convnet, PRED_COLOUR)], width)


def settings_key(settings: Dict[str, Any]) -> str:
    """A short hash of a JSON-able settings dict (the cache key of a stage's outputs)."""
    return hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()[:12]


# ---------------------------------------------------------------------------------------------------- stages
def frame_stems(davis_root: str, video: str, max_frames: Optional[int] = None, step: int = 1,
                resolution: str = '480p') -> List[str]:
    """The annotated frames a study uses: every ``step``-th of the first ``max_frames`` annotated stems."""
    gt_dir = osp.join(davis_root, 'Annotations', resolution, video)
    if not osp.isdir(gt_dir):
        raise FileNotFoundError(f'no annotations for video {video!r}: {gt_dir}')
    stems = annotation_stems(gt_dir)[:max_frames][::step]
    if not stems:
        raise ValueError(f'no annotated frames in {gt_dir}')
    return stems


def read_rgb(path: str) -> np.ndarray:
    """An image file as (h, w, 3) uint8 RGB; raises FileNotFoundError naming the file."""
    image = cv2.imread(path)
    if image is None:
        raise FileNotFoundError(f'cannot read image {path}')
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


def link_frames(davis_root: str, videos: Sequence[str], out_dir: str, max_frames: Optional[int] = None,
                resolution: str = '480p') -> str:
    """``out_dir/<video>/`` holding links to the first ``max_frames`` frames of each video (the
    generator's input, one frame folder per video); returns ``out_dir``."""
    for video in videos:
        files = list_frame_files(osp.join(davis_root, 'JPEGImages', resolution, video))[:max_frames]
        if not files:
            raise FileNotFoundError(f'no frames for video {video!r} in {davis_root}')
        folder = osp.join(out_dir, video)
        os.makedirs(folder, exist_ok=True)
        for f in files:
            link = osp.join(folder, osp.basename(f))
            if not osp.lexists(link):
                os.symlink(osp.abspath(f), link)
    return out_dir


def teacher_masks(davis_root: str, video: str, out_dir: str, unlc_cfg: Any = None,
                  max_frames: Optional[int] = None, resolution: str = '480p') -> str:
    """uNLC on the first ``max_frames`` frames of ``video`` (one shot), masks written as
    ``out_dir/<video>/<stem>.png`` (0/255); reused when that folder is complete. Returns the folder."""
    from mmmotion.apis.segment import segment_frame_folder
    folder = osp.join(out_dir, video)
    if osp.isfile(osp.join(folder, DONE_FILE)):
        return folder
    frames = segment_frame_folder(osp.join(davis_root, 'JPEGImages', resolution, video), folder, unlc_cfg,
                                  max_frames)
    atomic_write_json(osp.join(folder, DONE_FILE), dict(frames=frames))
    return folder


def pseudo_gt_dataset(frames_dir: str, out_dir: str, gen_cfg: Any) -> Dict[str, Any]:
    """The generator's pseudo-GT dataset of the frame folders in ``frames_dir`` (resumed: videos
    already recorded are reused). Returns the generator's summary; raises RuntimeError when no frame
    was kept."""
    from mmmotion.pseudo_gt.generate import generate_dataset
    summary = generate_dataset(frames_dir, out_dir, cfg=gen_cfg, resume=True, merge=True, progress=True)
    if not summary.get('dataset', {}).get('frames', {}).get('kept'):
        raise RuntimeError(f'the generator kept no frame in {out_dir} (see its records/)')
    return summary


def dataset_videos(data_root: str) -> Dict[str, int]:
    """``{video_id: frames}`` of a generated dataset's COCO file."""
    path = osp.join(data_root, 'annotations', 'unlc_coco.json')
    coco = read_json(path)
    counts: Dict[str, int] = {}
    for image in coco.get('images', []):
        if 'video_id' not in image:
            raise ValueError(f'{path}: image {image.get("id")} has no video_id')
        counts[str(image['video_id'])] = counts.get(str(image['video_id']), 0) + 1
    return counts


def fold_options(data_root: str, held_out: str, seed: int, iters: int) -> Dict[str, Any]:
    """The options of one fold and seed: train on every video of ``data_root`` but ``held_out``."""
    return {
        'train_dataloader.dataset.data_root': data_root,
        'train_dataloader.dataset.exclude_videos': [held_out],
        'randomness.seed': seed,
        'train_cfg.max_iters': iters,
        'default_hooks.checkpoint.interval': iters,
    }


def fold_config(config: str, data_root: str, held_out: str, seed: int, iters: int,
                options: Optional[Dict[str, Any]] = None) -> Any:
    """The study config for one fold and seed (:func:`fold_options`, then ``options``)."""
    from mmengine.config import Config
    cfg = Config.fromfile(config)
    cfg.merge_from_dict({**fold_options(data_root, held_out, seed, iters), **(options or {})})
    return cfg


def training_key(cfg: Dict[str, Any], dataset_key: str, train_videos: Sequence[str]) -> str:
    """The key of a training run: the config's hash (``config_hash``: seed and output paths aside) with the
    held-out video and data root blanked, the dataset's key, the training videos and the seed; folds whose
    training frames are the same share it."""
    from mmmotion.engine.runs import config_hash
    cfg = json.loads(json.dumps(cfg, default=str))
    dataset = cfg['train_dataloader']['dataset']
    dataset.update(exclude_videos=None, data_root=None)
    seed = (cfg.get('randomness') or {}).get('seed')
    return settings_key(dict(config=config_hash(cfg), dataset=dataset_key, train=sorted(train_videos), seed=seed))


def train_fold(config: str, options: Dict[str, Any], work_dir: str, need_checkpoint: bool = True) -> Dict[str, Any]:
    """Train ``config`` with a fold's ``options`` (:func:`fold_options` and overrides) in this process
    (:func:`mmmotion.apis.train.train_run`), unless ``work_dir`` holds a finished run (with its final checkpoint
    when ``need_checkpoint``): folds with the same training frames share ``work_dir`` (:func:`training_key`)
    though their held-out videos differ. Returns ``checkpoint``, ``checkpoint_sha256`` (kept in the run record
    after :func:`~mmmotion.apis.train.prune_checkpoints`) and ``train_images`` (frames of the training videos)."""
    from mmmotion.apis.train import latest_checkpoint, train_run
    from mmmotion.engine.runs import RECORD_FILE, file_sha256, read_record, write_record
    record = read_record(work_dir)
    checkpoint = (record or {}).get('checkpoint', '')
    if not (record and record.get('finished') and 'checkpoint_sha256' in record
            and (osp.isfile(checkpoint) or not need_checkpoint)):
        if record is not None:  # unfinished, or its checkpoint is gone and needed: train anew
            os.remove(osp.join(work_dir, RECORD_FILE))
        train_run(config, options, 'motionmask', work_dir=work_dir, log=lambda text: None)
        record = read_record(work_dir)
        record['checkpoint'] = latest_checkpoint(work_dir)
        record['checkpoint_sha256'] = file_sha256(record['checkpoint'])
        write_record(work_dir, record)
    return dict(checkpoint=record['checkpoint'], checkpoint_sha256=record['checkpoint_sha256'],
                train_images=record['train_samples'])


def load_model(cfg: Any, checkpoint: Optional[str]):
    """The MotionMask model of ``cfg`` in eval mode, with ``checkpoint``'s weights (None: as built, with
    PyTorch's default initialisation)."""
    from mmengine.runner import load_checkpoint

    from mmmotion.registry import MODELS
    from mmmotion.utils import register_all_modules
    register_all_modules(init_default_scope=False)
    model = MODELS.build(cfg.model)
    if checkpoint is not None:
        load_checkpoint(model, checkpoint, map_location='cpu', logger='silent')
    return model.eval()


def predict_frame_masks(model, frames: Sequence[np.ndarray], crop_size: int = 227, threshold: float = 0.5,
                        batch_size: int = 16) -> List[np.ndarray]:
    """The ConvNet's full-frame masks of RGB frames (see the module docstring): (h, w) bool each."""
    import torch
    masks = []
    for start in range(0, len(frames), batch_size):
        batch = frames[start:start + batch_size]
        squares = [letterbox(*f.shape[:2]) for f in batch]
        # BGR, as the training pipeline loads images (the data preprocessor converts to RGB)
        crops = [warp_to_square(np.ascontiguousarray(f[..., ::-1]), s, crop_size, fill=(104, 117, 124))
                 for f, s in zip(batch, squares)]
        inputs = [torch.from_numpy(c.transpose(2, 0, 1).copy()) for c in crops]
        with torch.no_grad():
            data = model.data_preprocessor(dict(inputs=inputs), False)
            probs = model.head.predict(model.extract_feat(data['inputs'])).cpu().numpy()
        for f, s, p in zip(batch, squares, probs):
            masks.append(square_to_frame(p, s, *f.shape[:2]) >= threshold)
    return masks


def cached_result(out_dir: str, stems: Sequence[str]) -> Optional[Dict[str, Any]]:
    """The result :func:`evaluate_fold` wrote to ``out_dir`` for these frames, None when there is none."""
    path = osp.join(out_dir, DONE_FILE)
    result = read_json(path) if osp.isfile(path) else None
    return result if result is not None and result.get('stems') == list(stems) else None


def evaluate_fold(model, davis_root: str, video: str, stems: Sequence[str], teacher_dir: str, out_dir: str,
                  resolution: str = '480p') -> Dict[str, Any]:
    """Score the ConvNet on ``video``'s frames ``stems`` against the ground truth and uNLC's masks;
    writes its masks to ``out_dir/masks/<stem>.png`` and the per-frame J to ``out_dir/result.json``
    (reused when present). Returns that result."""
    result = cached_result(out_dir, stems)
    if result is not None:
        return result
    frames = [read_rgb(osp.join(davis_root, 'JPEGImages', resolution, video, s + '.jpg')) for s in stems]
    gts = read_masks(osp.join(davis_root, 'Annotations', resolution, video), stems)
    teachers = read_masks(teacher_dir, stems)
    preds = predict_frame_masks(model, frames)
    os.makedirs(osp.join(out_dir, 'masks'), exist_ok=True)
    for stem, mask in zip(stems, preds):
        cv2.imwrite(osp.join(out_dir, 'masks', stem + '.png'), mask.astype(np.uint8) * 255)
    result = dict(stems=list(stems), J_gt=j_scores(preds, gts).tolist(), J_unlc=j_scores(preds, teachers).tolist())
    atomic_write_json(osp.join(out_dir, DONE_FILE), result)
    return result


def fg_fractions(masks: Sequence[np.ndarray]) -> List[float]:
    """The share of each mask's pixels that is foreground."""
    return [float(np.asarray(m, bool).mean()) for m in masks]


def read_masks(folder: str, stems: Sequence[str]) -> List[np.ndarray]:
    """``folder/<stem>.png`` as (h, w) bool masks."""
    return [read_mask(osp.join(folder, s + '.png')) for s in stems]


def reference_scores(davis_root: str, video: str, stems: Sequence[str], teacher_dir: str,
                     resolution: str = '480p') -> Dict[str, List[float]]:
    """Per-frame J against the ground truth of uNLC's masks (``unlc``) and of the box prior (``box``), and
    the foreground fractions of these masks and of the ground truth (``<name>_fg``, ``gt_fg``)."""
    gts = read_masks(osp.join(davis_root, 'Annotations', resolution, video), stems)
    teachers = read_masks(teacher_dir, stems)
    boxes = [box_prior(*g.shape) for g in gts]
    return dict(unlc=j_scores(teachers, gts).tolist(), box=j_scores(boxes, gts).tolist(),
                unlc_fg=fg_fractions(teachers), box_fg=fg_fractions(boxes), gt_fg=fg_fractions(gts))
