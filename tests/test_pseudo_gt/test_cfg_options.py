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


def test_a_delete_marker_without_a_base_key_is_dropped_and_the_stage_builds(tmp_path):
    """uNLC's stage settings are not in the base config file (they are UNLC.DEFAULTS), so mmengine leaves a
    ``_delete_`` written over them in place; load_config drops it, and the segmenter builds."""
    from mmmotion.apis.segment import build_unlc
    from mmmotion.utils.config import load_config
    root = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    cfg_file = tmp_path / 'gen.py'
    cfg_file.write_text(f"_base_ = [{osp.join(root, 'configs', 'unlc', 'generate_dataset.py')!r}]\n"
                        "unlc = dict(motion=dict(flow=dict(_delete_=True, type='DISFlow', finest_scale=0)),\n"
                        "            superpixels=[dict(_delete_=True, n_segments=8)])\n")
    cfg = load_config(str(cfg_file))
    assert cfg['unlc']['motion']['flow'] == dict(type='DISFlow', finest_scale=0)
    assert cfg['unlc']['superpixels'] == [dict(n_segments=8)]  # inside lists too
    del cfg['unlc']['superpixels']
    unlc = build_unlc({k: v for k, v in cfg.items() if k in ('unlc', )})
    assert type(unlc.flow).__name__ == 'DISFlow' and unlc.flow.overrides == dict(finest_scale=0)
