"""Small datasets in the uNLC generator's layout for the MotionMask tests."""
import json
import os
import os.path as osp

import cv2
import numpy as np
import pytest


def _texture(rng: np.random.Generator, height: int, width: int, colour) -> np.ndarray:
    noise = rng.normal(0, 1, (height // 4 + 1, width // 4 + 1, 3)).astype(np.float32)
    noise = cv2.resize(noise, (width, height), interpolation=cv2.INTER_CUBIC)[:height, :width]
    return np.clip(np.asarray(colour, np.float32) + 40 * noise, 0, 255)


def write_toy_dataset(root: str, n_videos: int = 4, frames: int = 4, size=(96, 128),
                      seed: int = 0, with_true_masks: bool = True) -> str:
    """A dataset in the layout of ``tools/unlc/generate_dataset.py``: an ellipse object over a
    textured background per frame; soft masks have a blurred border (so the trimap has an ignored
    band), ``gt_masks/`` holds the exact masks. Returns ``root``."""
    from pycocotools import mask as mask_utils
    rng = np.random.default_rng(seed)
    height, width = size
    images, annotations = [], []
    for v in range(n_videos):
        video_id = f'video{v:02d}'
        bg_colour, fg_colour = rng.uniform(40, 215, 3), rng.uniform(40, 215, 3)
        for f in range(frames):
            cy, cx = rng.uniform(0.35, 0.65) * height, rng.uniform(0.35, 0.65) * width
            ay, ax = rng.uniform(0.15, 0.3) * height, rng.uniform(0.15, 0.3) * width
            true = np.zeros((height, width), np.uint8)
            cv2.ellipse(true, (int(cx), int(cy)), (int(ax), int(ay)), float(rng.uniform(0, 180)),
                        0, 360, 1, -1)
            img = np.where(true[..., None] > 0, _texture(rng, height, width, fg_colour),
                           _texture(rng, height, width, bg_colour)).astype(np.uint8)
            soft = cv2.GaussianBlur(true.astype(np.float32), (0, 0), 2.0)
            name = f'000_{f:06d}'
            for folder, ext, data in (('images', 'jpg', img), ('masks', 'png', (soft * 255).round()),
                                      ('gt_masks', 'png', true * 255)):
                if folder == 'gt_masks' and not with_true_masks:
                    continue
                path = osp.join(root, folder, video_id, f'{name}.{ext}')
                os.makedirs(osp.dirname(path), exist_ok=True)
                cv2.imwrite(path, data.astype(np.uint8))
            rle = mask_utils.encode(np.asfortranarray((soft >= 0.5).astype(np.uint8)))
            rle['counts'] = rle['counts'].decode('ascii')
            image_id = len(images) + 1
            images.append(dict(id=image_id, file_name=f'{video_id}/{name}.jpg',
                               mask_file=f'{video_id}/{name}.png', height=height, width=width,
                               video_id=video_id, shot=0, frame_index=f))
            annotations.append(dict(id=image_id, image_id=image_id, category_id=1, segmentation=rle,
                                    area=int(mask_utils.area(rle)), iscrowd=0,
                                    bbox=[float(b) for b in mask_utils.toBbox(rle)]))
    os.makedirs(osp.join(root, 'annotations'), exist_ok=True)
    with open(osp.join(root, 'annotations', 'unlc_coco.json'), 'w') as fp:
        json.dump(dict(images=images, annotations=annotations,
                       categories=[dict(id=1, name='moving_object')]), fp)
    return root


@pytest.fixture(scope='session')
def toy_motionmask_root(tmp_path_factory) -> str:
    """4 videos x 4 frames, 96x128, with true masks."""
    return write_toy_dataset(str(tmp_path_factory.mktemp('toy_motionmask')))
