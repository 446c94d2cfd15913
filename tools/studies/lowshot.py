"""Study 4, low-shot detection: fine-tune on k images per class (1, 2, 5, 10) x subset seeds (0, 1, 2) x
checkpoints at All and >c5; mAP against k with the spread over subset seeds (mmmotion.experiments.lowshot).

    python tools/studies/lowshot.py                                       # miniature: random vs uNLC MotionMask
    python tools/studies/lowshot.py --checkpoint supervised-masks=PATH/backbone.pth --transfer-iters 100
    python tools/studies/lowshot.py --scale full --launcher slurm --partition P --checkpoint motionmask=PATH

Miniature (default): the toy VOC low-shot configs (configs/studies/lowshot), the uNLC MotionMask checkpoint
pretrained here (150 iterations, the same run as the Supervised Masks study's), one fine-tuning seed: 2
checkpoints x 2 frozen settings x 4 k x 3 subset seeds = 48 runs of 200 iterations. Estimated cost on an idle
2-core machine: about 85 min (48 x ~1.5 min, plus the pretraining and data); measured: 94 min with one thread
beside one other one-thread job (docs/benchmarks.md); --transfer-iters 100 about halves it. Full scale:
configs/benchmarks/mmdetection/voc07_lowshot (VOC07 trainval subsets -> VOC07 test) with the --checkpoint files.
Writes docs/results/lowshot.csv, docs/figures/lowshot.png and the "Study: low-shot detection" section of
docs/benchmarks.md. Resumable.
Cost basis: 200-iteration toy detection runs took 1.3-1.8 min at a load below 2 (the toy transfer's run
records), the tiny config trains at about 0.8 s per iteration (docs/benchmarks.md), each run adds about 10 s
of set-up (tiny runs of this tool); uNLC on the synthetic clips and the toy VOC's proposals take about 10 min
once per --out-dir. A loaded machine takes proportionally longer: the section records the load.
"""
from mmmotion.experiments import lowshot
from mmmotion.experiments.study import main

if __name__ == '__main__':
    main(lowshot.build, lowshot.parser(__doc__))
