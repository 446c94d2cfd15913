"""Study 1, noisy masks: MotionMask pretrained on pseudo masks degraded at several levels per kind (dilate and
erode k px, truncate p%, blob drop / add), then transferred; the transfer score against the noise level, one line
per kind (mmmotion.experiments.noisy_masks). Resumable: finished runs are reused, unfinished ones resumed.

    python tools/studies/noisy_masks.py                                   # the miniature, on this CPU
    python tools/studies/noisy_masks.py --scale full --launcher slurm --partition P --data-root data/unlc/
    python tools/studies/noisy_masks.py --kinds dilate erode --levels dilate=2,4,8 --seeds 0 1 2 3 4

Miniature (default): uNLC masks of 24 generated synthetic clips; configs/studies/noisy_masks/*_tiny_*-noisy.py,
150 iterations per pretraining, the clean masks + 2 levels x 5 kinds = 11 pretrainings; toy VOC detection at
>c5 with 3 fine-tuning seeds (33 runs + 3 random init). Estimated cost on an idle 2-core machine: about 90 min
(11 x ~2.5 min pretraining, 36 x ~1.5 min fine-tuning, ~10 min of data); --frozen all c5 adds ~55 min.
Full scale: the 8xb32-80k uNLC config with the same step, 3 levels per kind (16 pretrainings), VOC07 detection.
Writes docs/results/noisy_masks.csv, docs/figures/noisy_masks.png and the "Study: noisy masks" section of
docs/benchmarks.md, made from the runs' records.
Cost basis: 200-iteration toy detection runs took 1.3-1.8 min at a load below 2 (the toy transfer's run
records), the tiny config trains at about 0.8 s per iteration (docs/benchmarks.md), each run adds about 10 s
of set-up (tiny runs of this tool); uNLC on the synthetic clips and the toy VOC's proposals take about 10 min
once per --out-dir. A loaded machine takes proportionally longer: the section records the load.
"""
from mmmotion.experiments import noisy_masks
from mmmotion.experiments.study import main

if __name__ == '__main__':
    main(noisy_masks.build, noisy_masks.parser(__doc__))
