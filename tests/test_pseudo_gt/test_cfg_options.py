"""--cfg-options of the generator (tools/unlc/generate_dataset.py): keys of the generation config, which must
reach the run and its recorded settings."""
import json
import os
import os.path as osp

import pytest
from generator_helpers import box_frames, gen_tool_main, write_cfg, write_video


@pytest.mark.slow
def test_generator_takes_cfg_options(tmp_path):
    videos = tmp_path / 'videos'
    videos.mkdir()
    write_video(str(videos / 'box.mp4'), box_frames())
    out = str(tmp_path / 'ds')
    cfg = write_cfg(str(tmp_path / 'gen.py'))
    assert gen_tool_main([str(videos), '--out', out, '--config', cfg, '--no-progress', '--cfg-options',
                          'generator.max_shot_len=12', 'unlc.max_side=64']) == 0
    meta = json.load(open(osp.join(out, 'meta.json')))
    assert meta['generator']['max_shot_len'] == 12 and meta['generator']['image_max_side'] == 128
    assert meta['segmenter_cfg']['unlc'] == dict(type='UNLC', max_side=64)
    record = json.load(open(osp.join(out, 'records', 'box.json')))
    assert [s['sampled'] for s in record['shots']] == [12]
    assert os.listdir(osp.join(out, 'shards'))
