"""Experiments built on the package: the toy transfer benchmark, the checkpoint comparison, the studies
(data size, low-shot, noisy masks, supervised masks, the ConvNet and its teacher) and their one report
module (CSV rows, mean ± spread, tables, figures, tool-written doc sections and their footer).

Nothing in the runtime API imports it, and ``register_all_modules`` does not load it; tools import what
they run from here."""
