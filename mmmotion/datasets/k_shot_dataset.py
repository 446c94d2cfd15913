"""Low-shot transfer: a seeded subset of a dataset with k training images per class."""
import copy
from collections import defaultdict
from typing import List, Union

import numpy as np
from mmengine.logging import print_log

from mmmotion.registry import DATASETS


@DATASETS.register_module()
class KShotDataset:
    """Keep, in a seeded random order, every image that brings a class still under ``shots`` images.

    Works for any mmengine dataset with ``get_cat_ids`` (mmdet's VOC/COCO, mmpretrain's datasets), so
    the low-shot variant of a benchmark is a config change. Classes with fewer than ``shots`` images
    keep all of theirs (logged). Images with several classes count for each, so a class can end above k.

    Args:
        dataset: the dataset or its config.
        shots: images per class (k).
        seed: which subset; the same seed gives the same images.
        lazy_init: defer loading the annotations, as mmengine's wrappers do.
    """

    def __init__(self, dataset: Union[dict, object], shots: int, seed: int = 0, lazy_init: bool = False) -> None:
        if shots < 1:
            raise ValueError(f'shots must be >= 1, got {shots}')
        self.dataset = DATASETS.build(dataset) if isinstance(dataset, dict) else dataset
        self.shots = int(shots)
        self.seed = int(seed)
        self._metainfo = self.dataset.metainfo
        self.indices: List[int] = []
        self._fully_initialized = False
        if not lazy_init:
            self.full_init()

    @property
    def metainfo(self) -> dict:
        return copy.deepcopy(self._metainfo)

    def full_init(self) -> None:
        if self._fully_initialized:
            return
        self.dataset.full_init()
        self.indices = self._select()
        self._fully_initialized = True

    def _select(self) -> List[int]:
        counts = defaultdict(int)
        chosen = []
        for index in np.random.default_rng(self.seed).permutation(len(self.dataset)):
            classes = set(int(c) for c in self.dataset.get_cat_ids(int(index)))
            if any(counts[c] < self.shots for c in classes):
                chosen.append(int(index))
                for c in classes:
                    counts[c] += 1
        names = self._metainfo.get('classes') or ()
        short = [names[c] if c < len(names) else str(c) for c in range(len(names)) if counts[c] < self.shots]
        if short:
            print_log(f'KShotDataset: fewer than {self.shots} images for {", ".join(short)}; keeping all of theirs',
                      logger='current')
        print_log(f'KShotDataset: {len(chosen)} of {len(self.dataset)} images for {self.shots} shots '
                  f'(seed {self.seed})', logger='current')
        return sorted(chosen)

    def get_cat_ids(self, idx: int) -> List[int]:
        return self.dataset.get_cat_ids(self.indices[idx])

    def get_data_info(self, idx: int) -> dict:
        return self.dataset.get_data_info(self.indices[idx])

    def __getitem__(self, idx: int) -> dict:
        if not self._fully_initialized:
            self.full_init()
        return self.dataset[self.indices[idx]]

    def __len__(self) -> int:
        if not self._fully_initialized:
            self.full_init()
        return len(self.indices)
