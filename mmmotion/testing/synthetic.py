"""Synthetic video clips with exact foreground ground truth.

Textured objects (crops of scikit-image's bundled photos) move over textured backgrounds (other
bundled photos and textures), with a static or a panning camera. Everything is drawn from a seeded
``numpy.random.Generator``, so a seed always gives the same clip. Used to test and evaluate uNLC
(:func:`synthetic_suite`, :func:`write_davis_sequence`) and to pretrain on clips without
downloads.
"""
import os
import os.path as osp
from dataclasses import dataclass
from functools import lru_cache
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np
from skimage import data as skdata

BACKGROUNDS = ('coffee', 'rocket', 'hubble_deep_field', 'immunohistochemistry', 'brick', 'grass',
               'gravel')
OBJECTS = ('astronaut', 'chelsea', 'colorwheel', 'cat')


@dataclass
class SyntheticClip:
    """A clip: ``frames`` (n, h, w, 3) uint8 RGB and ``masks`` (n, h, w) bool ground truth (union of
    the objects); ``pan`` is the camera's (dy, dx) pixels per frame."""
    frames: np.ndarray
    masks: np.ndarray
    pan: Tuple[float, float]


@lru_cache(maxsize=None)
def _photo(name: str) -> np.ndarray:
    """A bundled scikit-image photo as (h, w, 3) uint8 RGB; grey textures get a colour tint."""
    image = getattr(skdata, name)()
    if image.ndim == 2:
        tint = {'brick': (1.0, 0.6, 0.45), 'grass': (0.55, 1.0, 0.45)}.get(name, (0.8, 0.8, 0.9))
        image = (image[..., None] * np.array(tint)).astype(np.uint8)
    return np.ascontiguousarray(image[..., :3])


def blob_shape(height: int,
               width: int,
               rng: np.random.Generator,
               irregularity: float = 0.25) -> np.ndarray:
    """A random smooth star-shaped blob filling most of a ``height x width`` box: an ellipse whose
    radius is modulated by a few low-frequency harmonics. Returns (height, width) bool."""
    yy, xx = np.mgrid[:height, :width]
    dy = (yy - (height - 1) / 2) / (height / 2)
    dx = (xx - (width - 1) / 2) / (width / 2)
    angle = np.arctan2(dy, dx)
    radius = np.ones_like(angle)
    for harmonic in range(2, 5):
        amp = rng.uniform(0, irregularity / harmonic)
        radius += amp * np.cos(harmonic * angle + rng.uniform(0, 2 * np.pi))
    radius /= radius.max()
    return np.hypot(dy, dx) <= radius * 0.98


def _random_crop(image: np.ndarray, height: int, width: int,
                 rng: np.random.Generator) -> np.ndarray:
    """A random crop of ``image`` resized to (height, width); upscales small images first."""
    h, w = image.shape[:2]
    scale = max(height / h, width / w, 1.0) * rng.uniform(1.0, 1.4)
    image = cv2.resize(
        image, (int(np.ceil(w * scale)), int(np.ceil(h * scale))), interpolation=cv2.INTER_LINEAR)
    h, w = image.shape[:2]
    y, x = rng.integers(0, h - height + 1), rng.integers(0, w - width + 1)
    return image[y:y + height, x:x + width]


def make_synthetic_clip(n_frames: int = 30,
                        height: int = 240,
                        width: int = 320,
                        n_objects: int = 1,
                        pan: Optional[Tuple[float, float]] = None,
                        object_speed: float = 3.0,
                        object_size: float = 0.35,
                        noise: float = 2.0,
                        seed: int = 0,
                        background: Optional[str] = None) -> SyntheticClip:
    """Render a clip of textured objects moving over a textured background.

    Args:
        n_frames, height, width: clip size.
        n_objects: number of moving objects (drawn in order; later ones occlude earlier ones).
        pan: camera motion (dy, dx) in pixels per frame; None or (0, 0) for a static camera.
        object_speed: object speed in pixels per frame, relative to the frame (the direction is
            random; objects bounce off the frame's inner 80%).
        object_size: object box side as a fraction of the frame's shorter side.
        noise: standard deviation of the added Gaussian pixel noise (0-255 scale).
        seed: seed of everything random.
        background: name of a bundled scikit-image image; random if None.

    Returns:
        A :class:`SyntheticClip`.
    """
    rng = np.random.default_rng(seed)
    pan = (0.0, 0.0) if pan is None else (float(pan[0]), float(pan[1]))
    travel_y, travel_x = (int(np.ceil(abs(p) * max(n_frames - 1, 0))) for p in pan)
    bg_name = background or BACKGROUNDS[rng.integers(len(BACKGROUNDS))]
    canvas = _random_crop(_photo(bg_name), height + travel_y, width + travel_x, rng)
    start_y = travel_y if pan[0] < 0 else 0
    start_x = travel_x if pan[1] < 0 else 0

    objects = []
    side = min(height, width) * object_size
    for _ in range(n_objects):
        oh = max(4, int(side * rng.uniform(0.8, 1.2)))
        ow = max(4, int(side * rng.uniform(0.8, 1.2)))
        shape = blob_shape(oh, ow, rng)
        texture = _random_crop(_photo(OBJECTS[rng.integers(len(OBJECTS))]), oh, ow, rng)
        position = np.array([
            rng.uniform(0.2 * height, 0.8 * height - oh),
            rng.uniform(0.2 * width, 0.8 * width - ow)
        ])
        direction = rng.uniform(0, 2 * np.pi)
        velocity = object_speed * np.array([np.sin(direction), np.cos(direction)])
        objects.append([shape, texture, position, velocity])

    frames = np.empty((n_frames, height, width, 3), np.uint8)
    masks = np.zeros((n_frames, height, width), bool)
    for t in range(n_frames):
        y0 = int(round(start_y + pan[0] * t))
        x0 = int(round(start_x + pan[1] * t))
        frame = canvas[y0:y0 + height, x0:x0 + width].astype(np.float32)
        for obj in objects:
            shape, texture, position, velocity = obj
            oy, ox = np.round(position).astype(int)
            ys = slice(max(oy, 0), min(oy + shape.shape[0], height))
            xs = slice(max(ox, 0), min(ox + shape.shape[1], width))
            local = (slice(ys.start - oy, ys.stop - oy), slice(xs.start - ox, xs.stop - ox))
            inside = shape[local]
            frame[ys, xs][inside] = texture[local][inside]
            masks[t, ys, xs] |= inside
            new_position = position + velocity
            for axis, limit in ((0, height), (1, width)):
                low, high = 0.1 * limit, 0.9 * limit - shape.shape[axis]
                if not low <= new_position[axis] <= max(high, low):
                    velocity[axis] = -velocity[axis]
            obj[2] = position + velocity
        if noise > 0:
            frame += rng.normal(0, noise, frame.shape).astype(np.float32)
        frames[t] = np.clip(np.round(frame), 0, 255).astype(np.uint8)
    return SyntheticClip(frames, masks, pan)


def synthetic_suite(n_clips: int = 4,
                    n_frames: int = 30,
                    height: int = 240,
                    width: int = 320,
                    seed: int = 0) -> List[Tuple[str, SyntheticClip]]:
    """The project's evaluation suite: clips alternating static and panning cameras.

    Clip ``i`` uses seed ``seed + i``; panning clips pan 2-4 pixels per frame in a random
    direction. Returns ``[(name, clip), ...]`` with names like ``synthetic-000-static``.
    """
    suite = []
    for i in range(n_clips):
        rng = np.random.default_rng(seed + 1000 + i)
        panning = i % 2 == 1
        pan = None
        if panning:
            angle, speed = rng.uniform(0, 2 * np.pi), rng.uniform(2.0, 4.0)
            pan = (speed * np.sin(angle), speed * np.cos(angle))
        clip = make_synthetic_clip(n_frames, height, width, pan=pan, seed=seed + i)
        suite.append((f'synthetic-{i:03d}-{"pan" if panning else "static"}', clip))
    return suite


def write_davis_sequence(root: str,
                         name: str,
                         frames: np.ndarray,
                         masks: np.ndarray,
                         resolution: str = '480p') -> None:
    """Write a clip in DAVIS 2016 layout: ``root/JPEGImages/<resolution>/<name>/00000.jpg`` and
    ``root/Annotations/<resolution>/<name>/00000.png`` (uint8, 255 = foreground).

    Args:
        root: dataset root (created if missing).
        name: sequence name.
        frames: (n, h, w, 3) uint8 RGB.
        masks: (n, h, w) bool.
        resolution: DAVIS resolution folder name.
    """
    image_dir = osp.join(root, 'JPEGImages', resolution, name)
    mask_dir = osp.join(root, 'Annotations', resolution, name)
    os.makedirs(image_dir, exist_ok=True)
    os.makedirs(mask_dir, exist_ok=True)
    for i, (frame, mask) in enumerate(zip(frames, masks)):
        cv2.imwrite(
            osp.join(image_dir, f'{i:05d}.jpg'), cv2.cvtColor(frame, cv2.COLOR_RGB2BGR),
            [cv2.IMWRITE_JPEG_QUALITY, 95])
        cv2.imwrite(osp.join(mask_dir, f'{i:05d}.png'), mask.astype(np.uint8) * 255)


def write_davis_suite(root: str,
                      clips: Sequence[Tuple[str, SyntheticClip]],
                      resolution: str = '480p') -> List[str]:
    """Write named clips (e.g. from :func:`synthetic_suite`) in DAVIS layout; returns the names."""
    for name, clip in clips:
        write_davis_sequence(root, name, clip.frames, clip.masks, resolution)
    return [name for name, _ in clips]
