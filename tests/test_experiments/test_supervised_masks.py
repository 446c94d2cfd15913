"""Study 3 (Supervised Masks on real COCO): the real coco128 file read and split into training and held-out
images, the variants, the full-scale configs reading COCO files unchanged, the comparison's figure and text, and
the full-scale configs of studies 1-3 (and the miniature low-shot config) running 2 iterations."""
import math
import os
import os.path as osp

import cv2
import pytest
from real_data import data_path, require

from mmmotion.datasets import CocoSupervisedMaskDataset
from mmmotion.datasets.builder import build_train_dataset
from mmmotion.apis.train import train_run
from mmmotion.engine.runs import read_record
from mmmotion.experiments import data_size, lowshot, noisy_masks, supervised_masks
from mmmotion.utils import package_path, run_options

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
COCO128 = os.environ.get('MMMOTION_COCO128', data_path('coco128'))
ANN = 'instances_train2017.json'


@pytest.fixture(scope='module')
def coco128() -> str:
    if 'MMMOTION_COCO128' not in os.environ:
        require('coco128')  # skipped without the data, unless MMMOTION_REQUIRE_REAL_DATA=1
    if not osp.isfile(osp.join(COCO128, ANN)):
        pytest.fail(f'{osp.join(COCO128, ANN)} not found')
    return COCO128


def coco(root: str, **kwargs) -> CocoSupervisedMaskDataset:
    return CocoSupervisedMaskDataset(data_root=root, ann_file=ANN, data_prefix=dict(img_path='train2017/'), **kwargs)


def image_ids(dataset) -> set:
    return {dataset.get_data_info(i)['img_id'] for i in range(len(dataset))}


def test_coco128_is_read_and_split_into_held_out_images(coco128):
    everything = image_ids(coco(coco128))
    assert 100 < len(everything) <= 128  # images without a non-crowd instance of 32x32 px or more are skipped
    train, val = (image_ids(coco(coco128, split=s, val_fraction=0.2, split_seed=0)) for s in ('train', 'val'))
    assert not train & val and train | val == everything
    assert len(val) == math.ceil(0.2 * len(everything))
    assert val == image_ids(coco(coco128, split='val', val_fraction=0.2, split_seed=0))
    assert val != image_ids(coco(coco128, split='val', val_fraction=0.2, split_seed=1))
    with pytest.raises(ValueError, match='split'):
        coco(coco128, split='test')


def test_a_held_out_image_gives_its_real_instance_mask(coco128):
    from mmengine.config import Config
    config = package_path('configs', supervised_masks.COCO_CONFIGS['miniature'])
    cfg = Config.fromfile(config)
    dataset = coco(coco128, split='val', val_fraction=0.2, pipeline=cfg.val_dataloader.dataset.pipeline)
    sample = dataset[0]
    info = dataset.get_data_info(0)
    assert osp.isfile(info['img_path']) and info['instances']
    assert sample['inputs'].shape[-2:] == (227, 227)
    trimap = sample['data_samples'].gt_mask.data  # 1 object, 0 background, 255 ignored
    assert trimap.shape == (1, 56, 56)
    assert 0 < float((trimap == 1).float().mean()) < 1 and float((trimap == 0).float().mean()) > 0


def test_variants_train_on_the_training_images_and_the_uNLC_frames(coco128, toy_motionmask_root):
    coco_config = package_path('configs', supervised_masks.COCO_CONFIGS['miniature'])
    unlc_config = package_path('configs', supervised_masks.UNLC_CONFIGS['miniature'])
    found = supervised_masks.variants(coco_config, coco128, unlc_config, toy_motionmask_root, 2)
    assert [v.label for v in found] == [supervised_masks.SUPERVISED, supervised_masks.UNLC]
    held_out = len(coco(coco128, split='val', val_fraction=0.2))
    assert found[0].meta['images'] == len(image_ids(coco(coco128))) - held_out
    assert found[1].meta['images'] == 12  # 3 of the 4 toy videos, 4 frames each
    for variant in found:
        assert variant.options['train_cfg.max_iters'] == 2
        assert variant.options['val_dataloader.dataset.data_root'].rstrip('/') == (
            coco128 if variant.label == supervised_masks.SUPERVISED else toy_motionmask_root).rstrip('/')


def coco_layout(root, coco128: str, year: str) -> str:
    """A COCO folder (annotations/instances_{train,val}<year>.json, train<year>/, val<year>/) whose files are
    coco128's, linked."""
    os.makedirs(osp.join(root, 'annotations'), exist_ok=True)
    for split in ('train', 'val'):
        os.symlink(osp.abspath(osp.join(coco128, ANN)), osp.join(root, 'annotations', f'instances_{split}{year}.json'))
        os.symlink(osp.abspath(osp.join(coco128, 'train2017')), osp.join(root, f'{split}{year}'))
    return str(root)


@pytest.mark.parametrize('year', ['2014', '2017'])
def test_full_scale_configs_read_the_coco_train_files_unchanged(tmp_path, coco128, year):
    config = package_path('configs', supervised_masks.COCO_CONFIGS[f'full{year}'])
    root = coco_layout(tmp_path, coco128, year)
    dataset = build_train_dataset(config, {'train_dataloader.dataset.data_root': root}, with_pipeline=False)
    assert dataset.ann_file == osp.join(root, f'annotations/instances_train{year}.json')
    assert image_ids(dataset) == image_ids(coco(coco128))
    assert osp.isfile(dataset.get_data_info(0)['img_path'])


def test_figure_and_text_compare_the_checkpoints_in_one_table(tmp_path):
    rows = [dict(benchmark='toy-voc-det', metric='mAP', frozen=frozen, checkpoint=label, seed=str(seed),
                 value=base + seed + (5 if frozen == 'all' else 0))
            for frozen in ('all', 'c5') for label, base in (('supervised-masks', 70.0), ('random', 50.0),
                                                            ('motionmask', 60.0)) for seed in range(3)]
    panels = supervised_masks.series(rows)
    assert list(panels) == ['toy-voc-det mAP'] and list(panels['toy-voc-det mAP']) == ['All', '>c5']
    assert list(panels['toy-voc-det mAP']['>c5']) == ['random', 'motionmask', 'supervised-masks']
    assert panels['toy-voc-det mAP']['>c5']['motionmask'] == [60.0, 61.0, 62.0]
    pretrained = [dict(label=label, meta=dict(data=data, root='r', images=n))
                  for label, data, n in (('supervised-masks', 'COCO', 99), ('motionmask', 'uNLC', 12))]
    text = supervised_masks.describe(rows, pretrained)
    assert '- toy-voc-det mAP, >c5: random 51.0 ± 1.0, motionmask 61.0 ± 1.0, supervised-masks 71.0 ± 1.0' in text
    assert 'supervised-masks: COCO, 99 training images' in text
    supervised_masks.plot(rows, pretrained, str(tmp_path / 'sm.png'))
    assert cv2.imread(str(tmp_path / 'sm.png')) is not None


@pytest.mark.slow
def test_full_scale_configs_run_two_iterations(tmp_path, coco128, toy_motionmask_root, toy_voc_root):
    """The paper-sized study configs (batch and workers cut to CPU size; the data-size study's config is the
    noisy-masks one's base) and the miniature low-shot config train 2 iterations through the studies' runner, each
    in its keyed work dir with a finished record."""
    toy_lowshot = package_path('configs', 'studies/lowshot/fast-rcnn_alexnet-c5_toy-lowshot.py')
    small = {'train_dataloader.batch_size': 2, 'train_dataloader.num_workers': 0,
             'train_dataloader.persistent_workers': False, 'train_cfg.max_iters': 2, 'randomness.seed': 0,
             'default_hooks.checkpoint.save_last': False}  # no 0.5 GB checkpoints left
    no_validation = {'val_cfg': None, 'val_dataloader': None, 'val_evaluator': None}  # merged last
    noisy = package_path('configs', noisy_masks.CONFIGS['full'])
    coco = package_path('configs', supervised_masks.COCO_CONFIGS['full2017'])
    runs = [
        # the noisy-masks config (the uNLC one with a degradation step) with the data-size study's option too
        (noisy, {**small, **noisy_masks.degradation_options(noisy, 'blob_add', 2, 24),
                 **data_size.subset_options(noisy, 0.5, 0),
                 **run_options.data_root_options(noisy, toy_motionmask_root)}),
        (coco, {**small, **run_options.data_root_options(coco, coco_layout(tmp_path / 'coco', coco128, '2017'))}),
        (toy_lowshot, {**small, **run_options.data_root_options(toy_lowshot, toy_voc_root),
                       f'{lowshot.kshot_key(toy_lowshot)}.shots': 1}),
    ]
    for config, options in runs:
        work_dir = train_run(config, {**options, **no_validation}, 'check', str(tmp_path / 'runs'))
        record = read_record(work_dir)
        assert record['finished'] and record['max_iters'] == 2, config
        assert osp.basename(osp.dirname(work_dir)) == osp.splitext(osp.basename(config))[0]
