# Pseudo-ground-truth dataset generation as in the paper: uNLC's defaults and the paper's frame rules (size
# and border only). configs/unlc/generate_dataset.py, the default, adds the label-free quality score.
_base_ = ['./default.py']  # the uNLC settings, passed to the segmenter as its cfg

# The segmentation function: frames (n, h, w, 3) uint8 RGB -> (soft, binary) masks (n, h, w).
segmenter = 'mmmotion.apis.segment.segment_video'

generator = dict(
    image_max_side=650,  # frames are downscaled to this longest side; images and masks have that size
    min_side=32,  # videos with a shorter side below this are rejected
    min_shot_len=10,  # shorter shots are skipped
    max_shot_len=110,  # longer shots are evenly sub-sampled to this many frames
    shot_detector=dict(type='PySceneDetectShots', detector='adaptive', min_scene_len=10),
    frame_selection=dict(
        max_fg=0.8,  # drop frames whose foreground is above 80% of the pixels
        min_fg=0.1,  # ... or below 10%
        border=0.05,  # the border band: 5% of the height (top, bottom) and width (left, right)
        max_border_fg=0.1,  # drop frames with more than 10% of the band foreground
        min_frames=5,  # shots with fewer passing frames are rejected
        max_frames=10,  # keep at most 10 frames per shot, evenly spaced
        min_quality=None,  # the paper has no quality score
    ),
    jpeg_quality=95,
)
