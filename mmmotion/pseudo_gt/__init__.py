"""The uNLC pseudo-ground-truth dataset: per-video processing, atomic storage and the merge step."""
from .inputs import VideoEntry, list_videos, shard
from .merge import MergeError, build_coco, merge_dataset, summarise
from .process import GeneratorConfig, process_video

__all__ = [
    'VideoEntry', 'list_videos', 'shard', 'MergeError', 'build_coco', 'merge_dataset', 'summarise',
    'GeneratorConfig', 'process_video'
]
