"""Run identity: what a config computes, where and with what it ran, and the record and keyed work dir
that tie a result to it (``run_record.json``)."""
from .identity import (INIT_MODULES, KSHOT_TYPES, TASK_METRICS, benchmark_of, config_hash,  # noqa: F401
                       config_identity, data_of, frozen_tag, init_checkpoints, init_options, low_shot_of,
                       same_identity, task_of)
from .provenance import (code_version, file_sha256, machine_description, machine_load, now,  # noqa: F401
                         run_conditions, stack_versions)
from .record import (RECORD_FILE, checkpoint_digest, default_label, keyed_work_dir, make_record,  # noqa: F401
                     read_record, run_key, write_record)
