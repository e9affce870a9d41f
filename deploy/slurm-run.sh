#!/usr/bin/env bash
# One QuantaProbe run on many GPU nodes with a Slurm job array: task i of n runs shard i/n of the
# run; all tasks share the run folder (a shared filesystem: NFS, Lustre, GPFS). The shards split
# ingest, infer and gradients by part and meet at barriers on the folder's files; shard 0 exports
# the family, selects the tokens, and writes decompose and the report. A task that dies is simply
# resubmitted (or requeued): every stage resumes from its complete parts.
#
#   sbatch --array=0-7 deploy/slurm-run.sh configs/my-run.json
#
# Build once on a machine with NuGet (the nodes need no .NET SDK):
#   dotnet publish src/Cli -c Release -r linux-x64 --self-contained -p:OnnxGpu=true -o /shared/quanta
#SBATCH --job-name=quanta
#SBATCH --gpus-per-task=1
#SBATCH --cpus-per-task=8
#SBATCH --mem=64G
#SBATCH --time=24:00:00
#SBATCH --requeue
#SBATCH --output=quanta-%A_%a.log
set -euo pipefail
CONFIG=${1:?usage: sbatch --array=0-N deploy/slurm-run.sh CONFIG}
QUANTA=${QUANTA:-/shared/quanta/quanta}
COUNT=${SLURM_ARRAY_TASK_COUNT:?run this as a job array: sbatch --array=0-N}
INDEX=${SLURM_ARRAY_TASK_ID:?run this as a job array: sbatch --array=0-N}
# Array ids may start above 0 (--array=1-8): shards are numbered from the array's minimum.
SHARD=$((INDEX - ${SLURM_ARRAY_TASK_MIN:-0}))
exec "$QUANTA" run "$CONFIG" --shard "$SHARD/$COUNT"
