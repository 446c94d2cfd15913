"""Study 2, data size: MotionMask pretrained on nested, seeded subsets of the training videos (12.5 / 25 / 50 /
100%), then transferred; the transfer score against the number of videos on a log axis
(mmmotion.experiments.data_size). The subsets are MotionMaskDataset's video_subset=dict(fraction, seed).

    python tools/studies/data_size.py                                     # the miniature, on this CPU
    python tools/studies/data_size.py --subset-seeds 0 1 2                # the spread over subsets too
    python tools/studies/data_size.py --scale full --launcher dist --gpus 8 --data-root data/unlc/

Miniature (default): uNLC masks of 32 generated synthetic clips (24 training videos: 3 / 6 / 12 / 24), the tiny
config for 150 iterations per subset (4 pretrainings), toy VOC detection at >c5 with 3 fine-tuning seeds (12
runs + 3 random init). Estimated cost on an idle 2-core machine: about 45 min (4 x ~2.5 min pretraining,
15 x ~1.5 min fine-tuning, ~12 min of data). Full scale: the 8xb32-80k uNLC config, VOC07 detection.
Writes docs/results/data_size.csv, docs/figures/data_size.png and the "Study: data size" section of
docs/benchmarks.md. Resumable.
Cost basis: 200-iteration toy detection runs took 1.3-1.8 min at a load below 2 (the toy transfer's run
records), the tiny config trains at about 0.8 s per iteration (docs/benchmarks.md), each run adds about 10 s
of set-up (tiny runs of this tool); uNLC on the synthetic clips and the toy VOC's proposals take about 10 min
once per --out-dir. A loaded machine takes proportionally longer: the section records the load.
"""
from mmmotion.experiments import data_size
from mmmotion.experiments.study import main

if __name__ == '__main__':
    main(data_size.build, data_size.parser(__doc__))
