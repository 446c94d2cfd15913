#!/usr/bin/env bash
# FCN segmentation frozen-stage sweep on a slurm cluster (one srun job per run; GPUS, GPUS_PER_NODE, SRUN_ARGS as usual).
# usage: tools/benchmarks/mmsegmentation/slurm_run_sweep.sh PARTITION CHECKPOINT LABEL [CONFIG_DIR] [extra --cfg-options ...]
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,3p' "$0" >&2; exit 2; }
CHECKPOINT=$2; LABEL=$3; CONFIG_DIR=${4:-configs/benchmarks/mmsegmentation/voc12}
PARTITION=$1 exec bash "$(dirname "$0")/../sweep.sh" slurm "$CONFIG_DIR" "$CHECKPOINT" "$LABEL" "${@:5}"
