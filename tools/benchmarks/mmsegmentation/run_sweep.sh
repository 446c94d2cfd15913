#!/usr/bin/env bash
# FCN segmentation frozen-stage sweep (All, >c1 ... >c5) on one machine, one process per run.
# usage: tools/benchmarks/mmsegmentation/run_sweep.sh CHECKPOINT LABEL [CONFIG_DIR] [extra --cfg-options ...]
#   CONFIG_DIR defaults to configs/benchmarks/mmsegmentation/voc12 (also voc12aug, voc12aug-voc11val, toy).
#   The checkpoint initialises conv1-conv5 (fc6/fc7 are ignored). See tools/benchmarks/sweep.sh for SEEDS,
#   PATTERN and WORK_ROOT; BN checkpoints: add model.backbone.with_bn=True (the toy configs already have it)
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,6p' "$0" >&2; exit 2; }
CHECKPOINT=$1; LABEL=$2; CONFIG_DIR=${3:-configs/benchmarks/mmsegmentation/voc12}
exec bash "$(dirname "$0")/../sweep.sh" local "$CONFIG_DIR" "$CHECKPOINT" "$LABEL" "${@:4}"
