# Faster uNLC for large-scale dataset generation (issues 23 and 28): the uNLC of
# configs/unlc/generate_dataset_fast.py, whose comment and docs/benchmarks.md say what it changes and what it
# costs. The uNLC tools read only its `unlc`; its generator keys are the fast generator's.
_base_ = ['./generate_dataset_fast.py']
