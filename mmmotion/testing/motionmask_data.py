"""A small MotionMask dataset with known true masks: synthetic clips through the uNLC dataset generator."""
import json
import os
import os.path as osp
from typing import Any, Dict, Optional, Sequence, Union

import cv2
import numpy as np

from mmmotion.apis.motionmask import TRUE_MASKS_DIR
from .synthetic import make_synthetic_clip


def make_synthetic_motionmask_data(out_dir: str, n_clips: int = 8, n_frames: int = 12,
                                   height: int = 120, width: int = 160, n_objects: int = 1,
                                   object_size: float = 0.48, min_fg: float = 0.03,
                                   backgrounds: Optional[Sequence[str]] = None, seed: int = 0,
                                   unlc_cfg: Union[None, str, dict] = None,
                                   workers: int = 1) -> Dict[str, Any]:
    """Render synthetic clips (:mod:`mmmotion.testing.synthetic`), run the uNLC dataset generator
    on them, and add the clips' true masks under ``gt_masks/`` with the soft masks' names.

    Clips alternate static and panning cameras; clip ``i`` uses background ``backgrounds[i % n]``
    (names of :data:`mmmotion.testing.synthetic.BACKGROUNDS`; random when None). Each clip is one shot
    (``SingleShot``); the generator's other settings (frame rules included) are those of
    ``configs/unlc/generate_dataset_paper.py`` (the paper's size and border rules, which the recorded toy
    experiments used; the synthetic objects are large) updated with ``unlc_cfg``.

    Returns:
        the generator's summary, plus ``data_root`` and ``num_images``.
    """
    from mmmotion.pseudo_gt.generate import generate_dataset
    from mmmotion.utils import load_config, package_path

    video_dir = osp.join(out_dir, 'videos')
    data_root = osp.join(out_dir, 'dataset')
    clips = {}
    for i in range(n_clips):
        rng = np.random.default_rng(seed + 1000 + i)
        pan = None
        if i % 2:
            angle, speed = rng.uniform(0, 2 * np.pi), rng.uniform(1.0, 2.0)
            pan = (speed * np.sin(angle), speed * np.cos(angle))
        clip = make_synthetic_clip(n_frames, height, width, n_objects=n_objects, pan=pan,
                                   object_size=object_size,
                                   object_speed=max(2.0, 0.02 * width), seed=seed + i,
                                   background=backgrounds[i % len(backgrounds)] if backgrounds else None)
        name = f'clip{i:03d}_{"pan" if pan else "static"}'
        clips[name] = clip
        os.makedirs(osp.join(video_dir, name), exist_ok=True)
        for t, frame in enumerate(clip.frames):
            cv2.imwrite(osp.join(video_dir, name, f'{t:05d}.png'), frame[..., ::-1])

    cfg = load_config(package_path('configs', 'unlc', 'generate_dataset_paper.py'))
    cfg['generator'].update(shot_detector=dict(type='SingleShot'), min_shot_len=min(10, n_frames))
    cfg['generator']['frame_selection']['min_fg'] = min_fg
    if unlc_cfg is not None:
        cfg = load_config(cfg, load_config(unlc_cfg))
    summary = generate_dataset(video_dir, data_root, cfg=cfg, workers=workers)

    coco_file = osp.join(data_root, 'annotations', 'unlc_coco.json')
    if not osp.isfile(coco_file):
        raise RuntimeError(f'the generator wrote no {coco_file}; summary: {summary}')
    with open(coco_file) as f:
        images = json.load(f)['images']
    for image in images:
        clip = clips.get(image['video_id'])
        if clip is None:
            raise KeyError(f'{coco_file}: video id {image["video_id"]!r} is not one of the rendered clips')
        true = clip.masks[image['frame_index']].astype(np.uint8) * 255
        if true.shape != (image['height'], image['width']):
            true = cv2.resize(true, (image['width'], image['height']), interpolation=cv2.INTER_NEAREST)
        path = osp.join(data_root, TRUE_MASKS_DIR, image['mask_file'])
        os.makedirs(osp.dirname(path), exist_ok=True)
        cv2.imwrite(path, true)
    summary.update(data_root=data_root, num_images=len(images))
    return summary
