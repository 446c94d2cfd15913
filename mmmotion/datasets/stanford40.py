"""Stanford 40 Actions (Yao et al., ICCV 2011) as a single-label mmpretrain dataset.

The official layout under ``data_root``::

    JPEGImages/<action>_<NNN>.jpg
    ImageSplits/actions.txt          "action_name<TAB>number_of_images", then one line per action
    ImageSplits/train.txt, test.txt  one image file name a line
    ImageSplits/<action>_train.txt   (optional) the same, per action
    XMLAnnotations/<action>_<NNN>.xml  the person's box and the action

An image's label is the action prefix of its file name; the classes are those of ``actions.txt``
(in its order) unless the config gives ``metainfo=dict(classes=...)``.
"""
import os.path as osp
import xml.etree.ElementTree as ET
from typing import List, Optional, Sequence, Tuple

import numpy as np
from mmpretrain.datasets.base_dataset import BaseDataset

from mmmotion.registry import DATASETS

STANFORD40_ACTIONS: Tuple[str, ...] = (
    'applauding', 'blowing_bubbles', 'brushing_teeth', 'cleaning_the_floor', 'climbing', 'cooking',
    'cutting_trees', 'cutting_vegetables', 'drinking', 'feeding_a_horse', 'fishing', 'fixing_a_bike',
    'fixing_a_car', 'gardening', 'holding_an_umbrella', 'jumping', 'looking_through_a_microscope',
    'looking_through_a_telescope', 'phoning', 'playing_guitar', 'playing_violin', 'pouring_liquid',
    'pushing_a_cart', 'reading', 'riding_a_bike', 'riding_a_horse', 'rowing_a_boat', 'running',
    'shooting_an_arrow', 'smoking', 'taking_photos', 'texting_message', 'throwing_frisby',
    'using_a_computer', 'walking_the_dog', 'washing_dishes', 'watching_TV', 'waving_hands',
    'writing_on_a_board', 'writing_on_a_book')

ACTIONS_HEADER = ('action_name', 'number_of_images')


def read_actions_file(path: str) -> List[Tuple[str, int]]:
    """Parse ``actions.txt``: a header line, then ``<action> <number of images>`` per line.

    Raises:
        FileNotFoundError / ValueError naming the file (and line) when it is missing or malformed.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'Stanford 40 actions file not found: {path}')
    with open(path) as f:
        lines = f.read().splitlines()
    if not lines or tuple(lines[0].split()) != ACTIONS_HEADER:
        first = lines[0] if lines else ''
        raise ValueError(f'{path}:1: expected the header "action_name<TAB>number_of_images", got {first!r}')
    actions: List[Tuple[str, int]] = []
    seen = set()
    for line_no, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split()
        if len(fields) != 2 or not fields[1].isdigit():
            raise ValueError(f'{path}:{line_no}: expected "<action><TAB><number of images>", got {line!r}')
        if fields[0] in seen:
            raise ValueError(f'{path}:{line_no}: action {fields[0]!r} is listed twice')
        seen.add(fields[0])
        actions.append((fields[0], int(fields[1])))
    if not actions:
        raise ValueError(f'{path}: lists no action')
    return actions


def action_of(image_name: str) -> Optional[str]:
    """``riding_a_horse_012.jpg`` -> ``riding_a_horse``; None if the name has no ``_<number>`` suffix."""
    stem = osp.splitext(osp.basename(image_name))[0]
    action, _, number = stem.rpartition('_')
    return action if action and number.isdigit() else None


def read_person_boxes(path: str) -> np.ndarray:
    """The person boxes (n, 4) float32 x1, y1, x2, y2 (pixels, as written) of one XMLAnnotations file."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'Stanford 40 annotation not found: {path}')
    try:
        objects = ET.parse(path).getroot().findall('object')
        boxes = [[float(obj.find('bndbox').find(key).text) for key in ('xmin', 'ymin', 'xmax', 'ymax')]
                 for obj in objects]
    except (ET.ParseError, AttributeError, TypeError, ValueError) as error:
        raise ValueError(f'{path}: malformed Stanford 40 annotation ({error})') from error
    return np.array(boxes, np.float32).reshape(-1, 4)


@DATASETS.register_module()
class Stanford40(BaseDataset):
    """Stanford 40 Actions, single-label (one action per image).

    Args:
        data_root: the folder holding ``JPEGImages``, ``ImageSplits`` and ``XMLAnnotations``.
        split: ``'train'`` or ``'test'`` (any ``ImageSplits/<split>.txt``). When that file is absent,
            the per-action files ``ImageSplits/<action>_<split>.txt`` of every action are read instead.
        with_person_box: also read the person boxes (``person_bbox``, (n, 4)) from ``XMLAnnotations``.
        image_dir, split_dir, annotation_dir: the sub-folders, as in the official release.
        **kwargs: :class:`mmpretrain.datasets.BaseDataset` arguments (pipeline, metainfo, test_mode ...).
    """

    METAINFO = {'classes': STANFORD40_ACTIONS}

    def __init__(self,
                 data_root: str,
                 split: str = 'train',
                 with_person_box: bool = False,
                 image_dir: str = 'JPEGImages',
                 split_dir: str = 'ImageSplits',
                 annotation_dir: str = 'XMLAnnotations',
                 metainfo: Optional[dict] = None,
                 classes: Optional[Sequence[str]] = None,
                 **kwargs) -> None:
        self.split = split
        self.with_person_box = with_person_box
        self.split_dir = split_dir
        self.annotation_dir = annotation_dir
        self.classes_given = bool(classes) or bool(metainfo and metainfo.get('classes'))
        super().__init__(ann_file=osp.join(split_dir, f'{split}.txt'), metainfo=metainfo, data_root=data_root,
                         data_prefix=image_dir, classes=classes, **kwargs)

    def _split_files(self, actions: Sequence[str]) -> List[str]:
        if osp.isfile(self.ann_file):
            return [self.ann_file]
        per_action = [osp.join(self.data_root, self.split_dir, f'{action}_{self.split}.txt') for action in actions]
        present = [path for path in per_action if osp.isfile(path)]
        if not present:
            raise FileNotFoundError(f'Stanford 40 split file not found: {self.ann_file} (nor per-action '
                                    f'files like {per_action[0]})')
        if len(present) != len(per_action):
            missing = sorted(set(per_action) - set(present))
            raise FileNotFoundError(f'Stanford 40: {self.ann_file} is absent and so are {len(missing)} per-action '
                                    f'split files, e.g. {missing[0]}')
        return per_action

    def load_data_list(self) -> List[dict]:
        """One ``dict(img_path, gt_label[, person_bbox])`` per image of the split files."""
        actions_path = osp.join(self.data_root, self.split_dir, 'actions.txt')
        actions = [name for name, _ in read_actions_file(actions_path)]
        if self.classes_given:
            unknown = [name for name in actions if name not in self._metainfo['classes']]
            if unknown:
                raise ValueError(f'{actions_path}: actions {unknown} are not among the configured classes '
                                 f'{list(self._metainfo["classes"])}')
        else:
            self._metainfo['classes'] = tuple(actions)
        class_index = {name: index for index, name in enumerate(self._metainfo['classes'])}
        in_actions_file = set(actions)

        data_list = []
        for split_path in self._split_files(actions):
            with open(split_path) as f:
                lines = f.read().splitlines()
            for line_no, line in enumerate(lines, start=1):
                name = line.strip()
                if not name:
                    continue
                action = action_of(name)
                if action is None:
                    raise ValueError(f'{split_path}:{line_no}: {name!r} is not named <action>_<number>.jpg')
                if action not in in_actions_file:
                    raise ValueError(f'{split_path}:{line_no}: {name!r} has action {action!r}, which is not '
                                     f'in {actions_path}')
                img_path = osp.join(self.img_prefix, name)
                if not osp.isfile(img_path):
                    raise FileNotFoundError(f'{split_path}:{line_no}: image {img_path} not found')
                info = dict(img_path=img_path, gt_label=class_index[action])
                if self.with_person_box:
                    xml_path = osp.join(self.data_root, self.annotation_dir, osp.splitext(name)[0] + '.xml')
                    info['person_bbox'] = read_person_boxes(xml_path)
                data_list.append(info)
        if not data_list:
            raise ValueError(f'Stanford 40: the {self.split!r} split files list no image')
        return data_list

    def extra_repr(self) -> List[str]:
        return [f'Split: \t{self.split}', f'Root: \t{self.data_root}']
