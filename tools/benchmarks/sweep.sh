#!/usr/bin/env bash
# Fine-tune every config of a benchmark folder from one checkpoint (the frozen-stage sweep). Each run gets the
# work dir keyed by its identity, $WORK_ROOT/<benchmark>/<label>/<config name>/seed<s>[-k<k>-subset<t>]-<hash>
# (hash of the config and the checkpoint file; tools/train.py --work-root), and a run_record.json there.
# tools/benchmarks/collect_results.py reads them, one table per benchmark.
#
# usage: tools/benchmarks/sweep.sh LAUNCHER CONFIG_DIR CHECKPOINT LABEL [extra --cfg-options ...]
#   LAUNCHER    local | dist | slurm
#   CONFIG_DIR  e.g. configs/benchmarks/mmdetection/voc07 (every *.py in it, or only those matching $PATTERN)
#   CHECKPOINT  an AlexNet checkpoint (training checkpoint or tools/model_converters/extract_backbone_weights.py
#               output), or "none" for random init
#   LABEL       the row name in the results table (e.g. motionmask, random, supervised-masks)
# environment:
#   INIT_MODULES  config paths of the modules that load the checkpoint (default "model.backbone")
#   SEEDS         seeds to run (default "0")          PATTERN   glob on config names (default "*")
#   WORK_ROOT     default work_dirs/benchmarks        GPUS      dist: GPUs per run (default 8)
#   SHOTS, SUBSET_SEEDS  low-shot configs: the k values and subset seeds to sweep (default: the config's own),
#                 set at KSHOT_KEY (default train_dataloader.dataset.dataset, the KShotDataset of voc07_lowshot)
#   DRY_RUN=1     print each run's work dir and command, train nothing
#   PARTITION, GPUS_PER_NODE, CPUS_PER_TASK, SRUN_ARGS   slurm: as in tools/slurm_train.sh
set -euo pipefail

if [ $# -lt 4 ]; then
    sed -n '2,23p' "$0" >&2
    exit 2
fi
LAUNCHER=$1
CONFIG_DIR=$2
CHECKPOINT=$3
LABEL=$4
shift 4
INIT_MODULES=${INIT_MODULES:-model.backbone}
SEEDS=${SEEDS:-0}
PATTERN=${PATTERN:-*}
WORK_ROOT=${WORK_ROOT:-work_dirs/benchmarks}
GPUS=${GPUS:-8}
SHOTS=${SHOTS:-}
SUBSET_SEEDS=${SUBSET_SEEDS:-}
KSHOT_KEY=${KSHOT_KEY:-train_dataloader.dataset.dataset}
TOOLS=$(cd "$(dirname "$0")/.." && pwd)

case $LAUNCHER in local | dist | slurm) ;; *) echo "unknown launcher '$LAUNCHER' (local, dist or slurm)" >&2; exit 2 ;; esac
if [ ! -d "$CONFIG_DIR" ]; then echo "config folder not found: $CONFIG_DIR" >&2; exit 2; fi
if [ "$CHECKPOINT" != none ] && [ ! -f "$CHECKPOINT" ]; then echo "checkpoint not found: $CHECKPOINT" >&2; exit 2; fi
if [ "$LAUNCHER" = slurm ] && [ -z "${PARTITION:-}" ]; then echo "slurm: set PARTITION" >&2; exit 2; fi

INIT_OPTIONS=()
if [ "$CHECKPOINT" != none ]; then
    for module in $INIT_MODULES; do
        INIT_OPTIONS+=("$module.init_cfg.type=Pretrained" "$module.init_cfg.checkpoint=$CHECKPOINT")
    done
fi

shopt -s nullglob
CONFIGS=("$CONFIG_DIR"/$PATTERN.py)
if [ ${#CONFIGS[@]} -eq 0 ]; then echo "no config matches $CONFIG_DIR/$PATTERN.py" >&2; exit 2; fi
for config in "${CONFIGS[@]}"; do
    name=$(basename "$config" .py)
    for shots in ${SHOTS:-_}; do
    for subset in ${SUBSET_SEEDS:-_}; do
    for seed in $SEEDS; do
        options=("randomness.seed=$seed" "${INIT_OPTIONS[@]}")
        [ "$shots" = _ ] || options+=("$KSHOT_KEY.shots=$shots")
        [ "$subset" = _ ] || options+=("$KSHOT_KEY.seed=$subset")
        options+=("$@")
        work_dir=$(python "$TOOLS/train.py" "$config" --work-root "$WORK_ROOT" --label "$LABEL" --print-work-dir \
                   --cfg-options "${options[@]}" | tail -n 1)
        desc="seed $seed"
        [ "$shots" = _ ] || desc+=", k=$shots"
        [ "$subset" = _ ] || desc+=", subset seed $subset"
        echo "=== $name, $desc, checkpoint $CHECKPOINT -> $work_dir"
        args=(--work-dir "$work_dir" --label "$LABEL" --cfg-options "${options[@]}")
        if [ "${DRY_RUN:-0}" = 1 ]; then echo "    train.py $config ${args[*]}"; continue; fi
        case $LAUNCHER in
            local) python "$TOOLS/train.py" "$config" "${args[@]}" ;;
            dist) bash "$TOOLS/dist_train.sh" "$config" "$GPUS" "${args[@]}" ;;
            slurm) GPUS=$GPUS bash "$TOOLS/slurm_train.sh" "$PARTITION" "$LABEL-$name-$seed" "$config" "$work_dir" \
                       --label "$LABEL" --cfg-options "${options[@]}" ;;
        esac
    done
    done
    done
done
