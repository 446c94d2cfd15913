"""The uNLC pseudo-ground-truth dataset (what ``tools/unlc/generate_dataset.py`` writes)."""
import json
import math
import os.path as osp
from typing import List, Optional, Sequence

import numpy as np
from mmengine.dataset import BaseDataset
from mmengine.registry import DefaultScope

from mmmotion.registry import DATASETS, TRANSFORMS


def select_subset(data_list: List[dict], ratio: Optional[float] = None, num: Optional[int] = None,
                  seed: int = 0) -> List[dict]:
    """A seeded random subset (in the original order) of ``ratio`` * n or ``num`` samples."""
    if ratio is None and num is None:
        return data_list
    if ratio is not None and num is not None:
        raise ValueError('give either subset_ratio or subset_num, not both')
    if ratio is not None:
        if not 0 < ratio <= 1:
            raise ValueError(f'subset_ratio must be in (0, 1], got {ratio}')
        num = int(round(ratio * len(data_list)))
    if num < 0:
        raise ValueError(f'subset_num must be >= 0, got {num}')
    num = min(num, len(data_list))
    keep = np.sort(np.random.default_rng(seed).permutation(len(data_list))[:num])
    return [data_list[i] for i in keep]


def nested_videos(video_ids: Sequence[str], fraction: float, seed: int = 0) -> set:
    """The first ``round(fraction * n)`` (at least one) of a seeded permutation of the ``n`` distinct ids:
    the same seed gives the same videos, and with one seed a larger fraction keeps a superset of a smaller
    one's (nested subsets, for the data-size study)."""
    if not 0 < fraction <= 1:
        raise ValueError(f'video_subset fraction must be in (0, 1], got {fraction}')
    ids = sorted(set(video_ids))
    order = np.random.default_rng(seed).permutation(len(ids))
    return {ids[i] for i in order[:max(1, int(round(fraction * len(ids))))]} if ids else set()


def split_videos(video_ids: Sequence[str], val_fraction: float, seed: int = 0) -> set:
    """The held-out videos: a seeded ``ceil(val_fraction * n)`` of the distinct ids (at least one
    when ``val_fraction > 0`` and there are two or more videos)."""
    ids = sorted(set(video_ids))
    if not 0 <= val_fraction < 1:
        raise ValueError(f'val_fraction must be in [0, 1), got {val_fraction}')
    num = math.ceil(val_fraction * len(ids)) if len(ids) > 1 else 0
    order = np.random.default_rng(seed).permutation(len(ids))
    return {ids[i] for i in order[:num]}


def build_pipeline(pipeline: Optional[Sequence]) -> list:
    """Build transform configs with mmmotion's registry (which finds mmcv's through its parent), in
    mmmotion's scope: a dataset built outside a runner finds mmmotion's transforms with no default
    scope, and also while another library's scope (say mmseg's, left by an earlier build) is the default."""
    with DefaultScope.overwrite_default_scope('mmmotion'):
        return [TRANSFORMS.build(t) if isinstance(t, dict) else t for t in (pipeline or [])]


def _load_json(path: str) -> dict:
    if not osp.isfile(path):
        raise FileNotFoundError(f'annotation file not found: {path} (did the uNLC generator finish? '
                                'it writes annotations/unlc_coco.json last)')
    try:
        with open(path) as f:
            return json.load(f)
    except json.JSONDecodeError as err:
        raise ValueError(f'annotation file {path} is not valid JSON: {err}') from err


@DATASETS.register_module()
class MotionMaskDataset(BaseDataset):
    """Frames and uNLC soft masks, read from the generator's COCO-style file.

    Each image entry of ``annotations/unlc_coco.json`` has ``file_name`` (under ``images/``),
    ``mask_file`` (soft mask PNG under ``masks/``), ``video_id``, ``height``, ``width``; its
    annotation holds the binary mask as RLE, used when ``mask_file`` is absent.

    Args:
        ann_file: the COCO-style file, relative to ``data_root``.
        data_prefix: ``img_path`` and ``mask_path`` folders; optionally ``gt_mask_path``, a folder of
            true masks with the same relative names as the soft masks (synthetic data, DAVIS).
        split: None (all videos), 'train' or 'val': a split by video, so no video is in both.
        val_fraction: fraction of videos held out as 'val'.
        split_seed: seed of the video split.
        subset_ratio / subset_num: keep a seeded random subset of the frames (data-size ablation).
        subset_seed: seed of the subset.
        video_subset: ``dict(fraction, seed=0)``: keep the frames of a seeded, nested subset of the videos
            (:func:`nested_videos`), after the split and before the frame subset (data-size study).
        videos / exclude_videos: keep only the frames of these video ids / drop those of these (e.g.
            leave-one-video-out folds); applied before the split and the subset.
        **kwargs: the rest of :class:`mmengine.dataset.BaseDataset` (pipeline, indices, lazy_init...).
    """

    METAINFO = dict(classes=('moving_object', ))

    def __init__(self,
                 ann_file: str = 'annotations/unlc_coco.json',
                 data_root: str = '',
                 data_prefix: dict = dict(img_path='images', mask_path='masks'),
                 split: Optional[str] = None,
                 val_fraction: float = 0.1,
                 split_seed: int = 0,
                 subset_ratio: Optional[float] = None,
                 subset_num: Optional[int] = None,
                 subset_seed: int = 0,
                 video_subset: Optional[dict] = None,
                 videos: Optional[Sequence[str]] = None,
                 exclude_videos: Optional[Sequence[str]] = None,
                 **kwargs) -> None:
        if split not in (None, 'train', 'val'):
            raise ValueError(f"split must be None, 'train' or 'val', got {split!r}")
        self.split = split
        self.val_fraction = val_fraction
        self.split_seed = split_seed
        self.subset_ratio = subset_ratio
        self.subset_num = subset_num
        self.subset_seed = subset_seed
        unknown = set(video_subset or {}) - {'fraction', 'seed'}
        if video_subset is not None and ('fraction' not in video_subset or unknown):
            raise ValueError(f'video_subset must be dict(fraction=..., seed=...), got {video_subset!r}')
        self.video_subset = video_subset
        self.videos = None if videos is None else {str(v) for v in videos}
        self.exclude_videos = {str(v) for v in exclude_videos or ()}
        kwargs['pipeline'] = build_pipeline(kwargs.get('pipeline'))
        super().__init__(ann_file=ann_file, data_root=data_root, data_prefix=dict(data_prefix),
                         **kwargs)

    def load_data_list(self) -> List[dict]:
        coco = _load_json(self.ann_file)
        for key in ('images', 'annotations'):
            if not isinstance(coco.get(key), list):
                raise ValueError(f'{self.ann_file}: missing or malformed key `{key}` (a list expected)')
        anns = {}
        for ann in coco['annotations']:
            anns.setdefault(ann.get('image_id'), []).append(ann)
        img_dir = self.data_prefix.get('img_path', '')
        mask_dir = self.data_prefix.get('mask_path', '')
        true_dir = self.data_prefix.get('gt_mask_path')
        data_list = []
        for index, image in enumerate(coco['images']):
            for key in ('id', 'file_name', 'height', 'width'):
                if key not in image:
                    raise ValueError(f'{self.ann_file}: images[{index}] has no `{key}`')
            info = dict(img_id=image['id'], img_path=osp.join(img_dir, image['file_name']),
                        video_id=str(image.get('video_id', osp.dirname(image['file_name']))),
                        height=image['height'], width=image['width'])
            if image.get('mask_file'):
                info['mask_path'] = osp.join(mask_dir, image['mask_file'])
            else:
                instances = [dict(mask=a['segmentation'], ignore_flag=int(a.get('iscrowd', 0)))
                             for a in anns.get(image['id'], []) if 'segmentation' in a]
                info['instances'] = instances
            if true_dir:
                name = image.get('mask_file') or osp.splitext(image['file_name'])[0] + '.png'
                info['gt_true_mask_path'] = osp.join(true_dir, name)
                if not osp.isfile(info['gt_true_mask_path']):
                    raise FileNotFoundError(f'true mask missing for {image["file_name"]}: '
                                            f'{info["gt_true_mask_path"]}')
            data_list.append(info)
        missing = sorted((self.videos or set()) - {d['video_id'] for d in data_list})
        if missing:
            raise ValueError(f'{self.ann_file}: no frames of the video(s) {missing} named in `videos`')
        data_list = [d for d in data_list if d['video_id'] not in self.exclude_videos
                     and (self.videos is None or d['video_id'] in self.videos)]
        if self.split is not None:
            held_out = split_videos([d['video_id'] for d in data_list], self.val_fraction,
                                    self.split_seed)
            want_val = self.split == 'val'
            data_list = [d for d in data_list if (d['video_id'] in held_out) == want_val]
        if self.video_subset is not None:
            kept = nested_videos([d['video_id'] for d in data_list], self.video_subset['fraction'],
                                 self.video_subset.get('seed', 0))
            data_list = [d for d in data_list if d['video_id'] in kept]
        return select_subset(data_list, self.subset_ratio, self.subset_num, self.subset_seed)
