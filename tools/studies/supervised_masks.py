"""Study 3, Supervised Masks on real COCO: MotionMask trained on COCO instance masks with the labels discarded,
next to MotionMask on uNLC pseudo masks and random init, in one transfer table (mmmotion.experiments.supervised_masks).

    python tools/studies/supervised_masks.py                              # miniature: ../shared/data/coco128
    python tools/studies/supervised_masks.py --scale full --coco-year 2014 --coco-root data/coco/ \
        --data-root data/unlc/ --launcher slurm --partition P

Miniature (default): coco128 (128 real COCO train2017 images) with a seeded 20% of its images held out for the
mask IoU, and uNLC masks of 24 generated synthetic clips, the tiny config for 150 iterations each; toy VOC
detection at All and >c5, 3 fine-tuning seeds (18 runs). Estimated cost on an idle 2-core machine: about 45 min
(2 x ~2.5 min pretraining, 18 x ~1.5 min fine-tuning, ~10 min of data). Full scale: the 8xb32-80k configs, COCO
2017 (or 2014) train files read unchanged, VOC07 detection. Writes docs/results/supervised_masks.csv,
docs/figures/supervised_masks.png and the "Study: Supervised Masks on real COCO" section. Resumable.
Cost basis: 200-iteration toy detection runs took 1.3-1.8 min at a load below 2 (the toy transfer's run
records), the tiny config trains at about 0.8 s per iteration (docs/benchmarks.md), each run adds about 10 s
of set-up (tiny runs of this tool); uNLC on the synthetic clips and the toy VOC's proposals take about 10 min
once per --out-dir. A loaded machine takes proportionally longer: the section records the load.
"""
from mmmotion.experiments import supervised_masks
from mmmotion.experiments.study import main

if __name__ == '__main__':
    main(supervised_masks.build, supervised_masks.parser(__doc__))
