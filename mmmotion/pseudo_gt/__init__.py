"""Videos -> the uNLC pseudo-ground-truth dataset: shot splitting, frame rules, per-video processing,
atomic storage, the merge into COCO, and the local / process-pool / Ray runner around them; ``report`` builds
the HTML report of a run from its records.

The data flow reads ``unlc`` (segmentation) -> ``pseudo_gt`` (this dataset) -> ``datasets`` (reading it for
training) -> ``models`` -> transfer configs.
"""
from .frame_selection import FrameSelectionConfig, select_frames
from .generate import GENERATOR_KEYS, generate_dataset, resolve_segmenter
from .inputs import VideoEntry, list_videos, shard
from .merge import MergeError, build_coco, merge_dataset, summarise
from .process import GeneratorConfig, process_video
from .shots import sample_shot

__all__ = [
    'FrameSelectionConfig', 'select_frames', 'GENERATOR_KEYS', 'generate_dataset', 'resolve_segmenter', 'VideoEntry',
    'list_videos', 'shard', 'MergeError', 'build_coco', 'merge_dataset', 'summarise', 'GeneratorConfig',
    'process_video', 'sample_shot'
]
