"""Study 2 (data size): nested, seeded subsets of the videos, the study's variants, and its figure and text."""
import importlib.util
import os.path as osp

import cv2
import pytest

from mmmotion.datasets import MotionMaskDataset
from mmmotion.datasets.motion_mask_dataset import nested_videos
from mmmotion.experiments import data_size
from mmmotion.utils import package_path

FRACTIONS = (0.125, 0.25, 0.5, 1.0)


def test_nested_videos_are_nested_and_seeded():
    ids = [f'video{i:02d}' for i in range(40)] * 3  # each video has several frames
    for seed in (0, 1, 2):
        sets = [nested_videos(ids, f, seed) for f in FRACTIONS]
        assert [len(s) for s in sets] == [5, 10, 20, 40]
        assert all(small < large for small, large in zip(sets, sets[1:]))
        assert sets == [nested_videos(list(reversed(ids)), f, seed) for f in FRACTIONS]  # order does not matter
    assert nested_videos(ids, 0.25, 0) != nested_videos(ids, 0.25, 1)
    assert len(nested_videos(ids, 0.001, 0)) == 1
    for bad in (0, 1.5):
        with pytest.raises(ValueError, match='fraction'):
            nested_videos(ids, bad)


@pytest.fixture(scope='module')
def eight_videos(tmp_path_factory) -> str:
    """8 videos x 2 frames in the generator's layout (tests/conftest.py's writer, loaded by path: ``conftest``
    names more than one module in this suite)."""
    spec = importlib.util.spec_from_file_location(
        'tests_root_conftest', osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'conftest.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_toy_dataset(str(tmp_path_factory.mktemp('eight_videos')), n_videos=8, frames=2, size=(48, 64))


def videos_of(dataset) -> set:
    return {dataset.get_data_info(i)['video_id'] for i in range(len(dataset))}


def test_video_subsets_of_the_dataset_are_nested_subsets_of_its_training_videos(eight_videos):
    train = videos_of(MotionMaskDataset(data_root=eight_videos, split='train', val_fraction=0.25))
    val = videos_of(MotionMaskDataset(data_root=eight_videos, split='val', val_fraction=0.25))
    assert len(train) == 6 and not train & val
    found = []
    for fraction in (1 / 6, 0.5, 1.0):
        dataset = MotionMaskDataset(data_root=eight_videos, split='train', val_fraction=0.25,
                                    video_subset=dict(fraction=fraction, seed=3))
        found.append(videos_of(dataset))
        assert len(dataset) == 2 * len(found[-1])  # every frame of the kept videos
    assert [len(s) for s in found] == [1, 3, 6] and found[0] < found[1] < found[2] == train
    other = MotionMaskDataset(data_root=eight_videos, split='train', val_fraction=0.25,
                              video_subset=dict(fraction=0.5, seed=3))
    assert videos_of(other) == found[1]
    with pytest.raises(ValueError, match='video_subset'):
        MotionMaskDataset(data_root=eight_videos, video_subset=dict(ratio=0.5))


def test_variants_count_the_videos_they_train_on(eight_videos):
    config = package_path('configs', data_size.CONFIGS['miniature'])  # val_fraction 0.25: 6 training videos
    found = data_size.variants(config, [0.5, 1 / 6, 1.0], [0, 1], {'train_dataloader.dataset.data_root': eight_videos})
    assert [v.meta['videos'] for v in found] == [1, 3, 6, 1, 3, 6]
    assert [v.meta['frames'] for v in found] == [2, 6, 12, 2, 6, 12]
    assert found[1].label == 'videos-50pct-s0' and found[4].label == 'videos-50pct-s1'
    assert found[1].options['train_dataloader.dataset.video_subset.fraction'] == 0.5
    assert found[4].options['train_dataloader.dataset.video_subset.seed'] == 1
    full = package_path('configs', data_size.CONFIGS['full'])  # val_fraction 0.02: 1 held out, 7 for training
    assert data_size.training_set(full, {**data_size.subset_options(full, 0.5, 0),
                                         'train_dataloader.dataset.data_root': eight_videos}) == (4, 8)


def test_figure_and_text_put_scores_at_the_number_of_videos(tmp_path):
    pretrained = [dict(label=f'videos-{p}pct-s0', meta=dict(fraction=p / 100, subset_seed=0, videos=v, frames=3 * v))
                  for p, v in ((25, 2), (100, 8))]
    rows = [dict(benchmark='toy-voc-det', metric='mAP', frozen='c5', checkpoint=label, seed=str(seed), value=value)
            for label, values in (('videos-25pct-s0', (50.0, 52.0)), ('videos-100pct-s0', (60.0, 64.0)),
                                  ('random', (40.0, 41.0)))
            for seed, value in enumerate(values)]
    panels, baselines = data_size.series(rows, pretrained)
    assert panels == {'toy-voc-det mAP, >c5': {data_size.LINE: {2: [50.0, 52.0], 8: [60.0, 64.0]}}}
    assert baselines == {'toy-voc-det mAP, >c5': {'random': [40.0, 41.0]}}
    text = data_size.describe(rows, pretrained)
    assert '- toy-voc-det mAP, >c5: videos=2: 51.0, videos=8: 62.0; random 40.5' in text
    assert '25%: 2 videos / 6 frames, 100%: 8 videos / 24 frames' in text
    data_size.plot(rows, pretrained, str(tmp_path / 'size.png'))
    assert cv2.imread(str(tmp_path / 'size.png')) is not None
