"""COCO instance masks with class labels discarded: the paper's "Supervised Masks" pretraining."""
import os.path as osp
from typing import List, Optional

from mmengine.dataset import BaseDataset

from mmmotion.registry import DATASETS
from .motion_mask_dataset import build_pipeline, select_subset, split_videos


@DATASETS.register_module()
class CocoSupervisedMaskDataset(BaseDataset):
    """Images of a COCO 2017 instances file with their object masks, every category merged into one
    'object' class. Each sample carries ``instances`` (segmentation, crowd flag); the pipeline's
    :class:`LoadSoftMask` rasterises them and :class:`SampleObject` picks one instance.

    Args:
        ann_file: e.g. ``annotations/instances_train2017.json`` (relative to ``data_root``).
        data_prefix: ``dict(img_path='train2017/')``.
        min_area: instances smaller than this (in pixels) are dropped; images left without any
            non-crowd instance are skipped.
        split: None (all images), 'train' or 'val': a seeded split of the images (e.g. held-out images of
            one instances file for mask IoU, where there is no separate val file).
        val_fraction / split_seed: the held-out fraction of the images and the split's seed.
        subset_ratio / subset_num / subset_seed: a seeded random subset of the images.
    """

    METAINFO = dict(classes=('object', ))

    def __init__(self,
                 ann_file: str = 'annotations/instances_train2017.json',
                 data_root: str = '',
                 data_prefix: dict = dict(img_path='train2017/'),
                 min_area: float = 32 * 32,
                 split: Optional[str] = None,
                 val_fraction: float = 0.1,
                 split_seed: int = 0,
                 subset_ratio: Optional[float] = None,
                 subset_num: Optional[int] = None,
                 subset_seed: int = 0,
                 **kwargs) -> None:
        if split not in (None, 'train', 'val'):
            raise ValueError(f"split must be None, 'train' or 'val', got {split!r}")
        self.min_area = min_area
        self.split = split
        self.val_fraction = val_fraction
        self.split_seed = split_seed
        self.subset_ratio = subset_ratio
        self.subset_num = subset_num
        self.subset_seed = subset_seed
        kwargs['pipeline'] = build_pipeline(kwargs.get('pipeline'))
        super().__init__(ann_file=ann_file, data_root=data_root, data_prefix=dict(data_prefix),
                         **kwargs)

    def load_data_list(self) -> List[dict]:
        from pycocotools.coco import COCO
        if not osp.isfile(self.ann_file):
            raise FileNotFoundError(f'COCO annotation file not found: {self.ann_file}')
        try:
            coco = COCO(self.ann_file)
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(f'{self.ann_file} is not a COCO instances file: {err!r}') from err
        data_list = []
        for img_id in sorted(coco.getImgIds()):
            image = coco.loadImgs([img_id])[0]
            instances = []
            for ann in coco.loadAnns(coco.getAnnIds(imgIds=[img_id])):
                if 'segmentation' not in ann or (not ann.get('iscrowd', 0)
                                                 and ann.get('area', 0) < self.min_area):
                    continue
                instances.append(dict(mask=ann['segmentation'], ignore_flag=int(ann.get('iscrowd', 0))))
            if not any(not inst['ignore_flag'] for inst in instances):
                continue
            data_list.append(dict(img_id=img_id, height=image['height'], width=image['width'],
                                  img_path=osp.join(self.data_prefix.get('img_path', ''),
                                                    image['file_name']),
                                  instances=instances))
        if self.split is not None:
            held_out = split_videos([str(d['img_id']) for d in data_list], self.val_fraction, self.split_seed)
            data_list = [d for d in data_list if (str(d['img_id']) in held_out) == (self.split == 'val')]
        return select_subset(data_list, self.subset_ratio, self.subset_num, self.subset_seed)
