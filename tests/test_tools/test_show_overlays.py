"""tools/analysis_tools/show_overlays.py on frame folders it writes: a pan with a score box and a still clip."""
import os.path as osp

import cv2
import numpy as np

from mmmotion.experiments.overlay_panel import main


def write_clip(folder, frames):
    for i, frame in enumerate(frames):
        cv2.imwrite(osp.join(folder, f'{i:05d}.jpg'), frame, [cv2.IMWRITE_JPEG_QUALITY, 95])


def test_panel_shows_the_score_box_of_a_pan_and_nothing_of_a_still_clip(tmp_path, capsys):
    rng = np.random.default_rng(0)
    grey = cv2.GaussianBlur(rng.uniform(0, 255, (240, 320 + 60)).astype(np.float32), (0, 0), 4) * 4 - 384
    scene = np.repeat(grey[..., None], 3, -1)  # grey: any red in the panel is the detector's
    pan = np.clip(np.stack([scene[:, 3 * i:3 * i + 320] for i in range(20)]), 0, 255).astype(np.uint8)
    pan[:, 180:220, 40:200] = 30
    cv2.putText(pan[0], 'HOME 21 : 17 AWAY', (50, 205), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (255, 255, 255), 1)
    pan[1:, 180:220, 40:200] = pan[0, 180:220, 40:200]
    for name, frames in (('pan', pan), ('still', np.repeat(pan[:1], 20, 0))):
        (tmp_path / name).mkdir()
        write_clip(str(tmp_path / name), frames)
    out = str(tmp_path / 'panel.png')
    assert main([str(tmp_path / 'pan'), str(tmp_path / 'still'), '--out', out, '--cols', '2']) == 0
    panel = cv2.imread(out)
    assert panel is not None and panel.shape[1] == 640
    printed = capsys.readouterr().out
    assert 'wrote' in printed
    # the pan's box is drawn in the prediction colour, the still clip's panel is the frame itself
    red = (panel[..., 2] > 150) & (panel[..., 1] < 100) & (panel[..., 0] < 100)
    assert red[:, :320].sum() > 200 and red[:, 320:].sum() < 20
