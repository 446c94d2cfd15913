#!/usr/bin/env bash
# Fast R-CNN frozen-stage sweep (All, >c1 ... >c5) on one machine, one process per run.
# usage: tools/benchmarks/mmdetection/run_sweep.sh CHECKPOINT LABEL [CONFIG_DIR] [extra --cfg-options ...]
#   CONFIG_DIR defaults to configs/benchmarks/mmdetection/voc07 (also voc12, voc0712, toy).
#   The checkpoint initialises conv1-conv5 (backbone) and fc6/fc7 (RoI head). See tools/benchmarks/sweep.sh
#   for SEEDS, PATTERN and WORK_ROOT; BN checkpoints: add model.backbone.with_bn=True model.roi_head.bbox_head.with_bn=True
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,6p' "$0" >&2; exit 2; }
CHECKPOINT=$1; LABEL=$2; CONFIG_DIR=${3:-configs/benchmarks/mmdetection/voc07}
INIT_MODULES="model.backbone model.roi_head.bbox_head" \
    exec bash "$(dirname "$0")/../sweep.sh" local "$CONFIG_DIR" "$CHECKPOINT" "$LABEL" "${@:4}"
