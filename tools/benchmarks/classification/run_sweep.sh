#!/usr/bin/env bash
# Classification frozen-stage sweep (All, >c1 ... >c5, fc6-8) on one machine, one process per run.
# usage: tools/benchmarks/classification/run_sweep.sh CHECKPOINT LABEL [CONFIG_DIR] [extra --cfg-options ...]
#   CONFIG_DIR defaults to configs/benchmarks/classification/voc07 (also voc07_toy, stanford40, stanford40_toy).
#   The checkpoint initialises the AlexNet backbone (conv1-fc7). See tools/benchmarks/sweep.sh for SEEDS, PATTERN
#   and WORK_ROOT; BN checkpoints (the tiny MotionMask config): add model.backbone.with_bn=True
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,6p' "$0" >&2; exit 2; }
CHECKPOINT=$1; LABEL=$2; CONFIG_DIR=${3:-configs/benchmarks/classification/voc07}
exec bash "$(dirname "$0")/../sweep.sh" local "$CONFIG_DIR" "$CHECKPOINT" "$LABEL" "${@:4}"
