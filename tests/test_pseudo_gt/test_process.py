"""One video through the generator with simple injected segmenters (fast, no uNLC): shots inside
a video, segmentation errors and wrong mask shapes, atomic leftovers."""
import json
import os
import os.path as osp

import cv2
import numpy as np
import pytest
from generator_helpers import box_frames, clip_frames, write_video

from mmmotion.pseudo_gt import GeneratorConfig, VideoEntry, list_videos, process_video
from mmmotion.pseudo_gt.storage import record_path


def bright_segmenter(frames, cfg=None):
    """The bright box of ``box_frames`` is the foreground."""
    soft = np.asarray(frames, np.float32).mean(axis=-1) / 255.0
    return soft, soft > 0.55


def failing_segmenter(frames, cfg=None):
    if len(frames) == 16:
        raise RuntimeError('out of superpixels')
    return bright_segmenter(frames)


def wrong_shape_segmenter(frames, cfg=None):
    soft, binary = bright_segmenter(frames)
    return soft[:, ::2], binary[:, ::2]


def _entry(path):
    return VideoEntry(osp.splitext(osp.basename(path))[0], path, osp.basename(path))


def test_two_scenes_are_two_shots(tmp_path):
    frames = np.concatenate([box_frames(n=24, seed=0), box_frames(n=20, seed=5)[:, ::-1]])
    path = write_video(str(tmp_path / 'two.mp4'), frames)
    out = str(tmp_path / 'ds')
    rec = process_video(_entry(path), out, GeneratorConfig(), bright_segmenter)
    assert rec['status'] == 'ok', rec['reason']
    bounds = [(s['start'], s['end']) for s in rec['shots']]
    assert len(bounds) == 2 and bounds[0][0] == 0 and bounds[1][1] == 44
    assert abs(bounds[0][1] - 24) <= 1 and bounds[0][1] == bounds[1][0]
    assert all(s['status'] == 'ok' for s in rec['shots'])
    kept = sorted(os.listdir(osp.join(out, 'images', 'two')))
    assert len(kept) == rec['stats']['frames_kept'] == 20  # 10 per shot
    assert {k[:3] for k in kept} == {'000', '001'}
    assert json.load(open(record_path(out, 'two'))) == rec


def test_segmentation_errors_are_recorded_per_shot(tmp_path, caplog):
    frames = np.concatenate([box_frames(n=16, seed=0), box_frames(n=20, seed=5)[:, ::-1]])
    path = write_video(str(tmp_path / 'mixed.mp4'), frames)
    out = str(tmp_path / 'ds')
    rec = process_video(_entry(path), out, GeneratorConfig(), failing_segmenter)
    first, second = rec['shots']
    assert first['status'] == 'failed'
    assert first['reason'] == 'segmentation_error: RuntimeError: out of superpixels'
    assert 'mixed (mixed.mp4): shot 0: segmentation_error' in caplog.text
    assert second['status'] == 'ok' and rec['status'] == 'ok'
    assert rec['stats']['shot_rejections'] == {'segmentation_error': 1}
    assert all(im['shot'] == 1 for im in rec['images'])

    rec = process_video(_entry(path), out, GeneratorConfig(), wrong_shape_segmenter)
    assert rec['status'] == 'rejected' and rec['reason'].startswith('no_shot_kept')
    assert all('segmenter returned masks of shape' in s['reason'] for s in rec['shots'])
    assert not osp.exists(osp.join(out, 'images', 'mixed'))  # the earlier frames are gone


def test_rerun_replaces_leftovers_of_a_killed_attempt(tmp_path):
    path = write_video(str(tmp_path / 'v.mp4'), box_frames(n=12))
    out = str(tmp_path / 'ds')
    os.makedirs(osp.join(out, 'images', 'v'))
    for name in ('000_000099.jpg', '.000_000001.jpg.tmp-abc'):
        open(osp.join(out, 'images', 'v', name), 'wb').write(b'junk')
    rec = process_video(_entry(path), out, GeneratorConfig(), bright_segmenter)
    names = sorted(os.listdir(osp.join(out, 'images', 'v')))
    assert names == sorted(osp.basename(im['file_name']) for im in rec['images'])
    assert not [f for f in os.listdir(osp.join(out, 'records')) if f.startswith('.')]


def test_list_file_ids_and_paths(tmp_path):
    (tmp_path / 'a').mkdir()
    (tmp_path / 'b').mkdir()
    lst = tmp_path / 'list.txt'
    lst.write_text('# comment\na/x.mp4\n\nb/x.mp4\na/y.avi\na/x.mp4\n/abs/z.mp4\n')
    entries = list_videos(str(lst))
    assert [e.source for e in entries] == ['a/x.mp4', 'b/x.mp4', 'a/y.avi', '/abs/z.mp4']
    assert entries[0].path == str(tmp_path / 'a' / 'x.mp4')
    assert entries[3].path == '/abs/z.mp4'
    ids = [e.video_id for e in entries]
    assert ids[2:] == ['y', 'z'] and ids[0] != ids[1] and ids[0].startswith('x_')
    assert len(set(ids)) == 4


def test_renamed_generator_keys_are_named():
    """generator.max_side and the shot detector's min_shot_len meant other things than uNLC's max_side and the
    generator's min_shot_len; configs that still use them fail, naming the new key."""
    from mmmotion.pseudo_gt.process import GeneratorConfig
    from mmmotion.pseudo_gt.shots import PySceneDetectShots
    with pytest.raises(TypeError, match='max_side is now image_max_side'):
        GeneratorConfig.from_dict(dict(max_side=100))
    with pytest.raises(TypeError, match=r"unknown key\(s\) \['max_sid'\]"):
        GeneratorConfig.from_dict(dict(max_sid=100))
    assert GeneratorConfig.from_dict(dict(image_max_side=100)).image_max_side == 100
    with pytest.raises(TypeError, match='min_shot_len is now min_scene_len'):
        PySceneDetectShots(min_shot_len=5)


def test_most_work_first_orders_by_frames_times_pixels(tmp_path):
    from mmmotion.pseudo_gt.inputs import estimated_work, list_videos, most_work_first
    write_video(str(tmp_path / 'short.mp4'), clip_frames(seed=1, n=5))  # 96x128
    write_video(str(tmp_path / 'long.mp4'), clip_frames(seed=1, n=12))
    big = np.stack([cv2.resize(f, (256, 192)) for f in clip_frames(seed=2, n=4)])  # 4 frames of 4x the pixels
    write_video(str(tmp_path / 'big.mp4'), big)
    (tmp_path / 'frames').mkdir()
    for i, f in enumerate(clip_frames(seed=3, n=8)):
        cv2.imwrite(str(tmp_path / 'frames' / f'{i:03d}.png'), f)
    (tmp_path / 'text.mp4').write_text('not a video')
    entries = list_videos([str(tmp_path / n) for n in ('short.mp4', 'missing.mp4', 'frames', 'big.mp4',
                                                       'text.mp4', 'long.mp4')])
    assert [estimated_work(e) for e in entries] == [5 * 96 * 128, 0, 8 * 96 * 128, 4 * 192 * 256, 0,
                                                    12 * 96 * 128]
    assert [e.video_id for e in most_work_first(entries)] == ['big', 'long', 'frames', 'short', 'missing', 'text']
    # at the generator's size (longest side 128) the big clip is 4 frames of 96x128: the least of the readable
    order = ['long', 'frames', 'short', 'big', 'missing', 'text']
    assert [e.video_id for e in most_work_first(entries, 128)] == order
