#!/usr/bin/env bash
# FCN segmentation frozen-stage sweep with torch.distributed on one node.
# usage: tools/benchmarks/mmsegmentation/dist_run_sweep.sh CHECKPOINT LABEL GPUS [CONFIG_DIR] [extra --cfg-options ...]
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,3p' "$0" >&2; exit 2; }
CHECKPOINT=$1; LABEL=$2; CONFIG_DIR=${4:-configs/benchmarks/mmsegmentation/voc12}
GPUS=$3 exec bash "$(dirname "$0")/../sweep.sh" dist "$CONFIG_DIR" "$CHECKPOINT" "$LABEL" "${@:5}"
