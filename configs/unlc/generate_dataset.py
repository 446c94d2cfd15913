# Pseudo-ground-truth dataset generation (tools/unlc/generate_dataset.py): uNLC's defaults, the paper's
# shots and the label-free quality score (mmmotion.pseudo_gt.quality) choosing the frames. The paper's size
# rule favours over-segmented frames when objects are small, so it is relaxed here; the faithful rules are
# configs/unlc/generate_dataset_paper.py. The threshold was chosen by cross-validation on the DAVIS dev
# clips (docs/unlc.md, "Frame selection by quality").
_base_ = ['./generate_dataset_paper.py']

generator = dict(
    frame_selection=dict(
        min_fg=0.01,  # drop frames whose foreground is below 1% (the paper: 10%)
        max_border_fg=0.1,
        min_frames=5,
        max_frames=None,  # keep every frame that passes
        min_quality=0.35,  # drop frames whose quality score is below this
    ))
