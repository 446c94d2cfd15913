"""What a proposal computation or import did."""
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import numpy as np


@dataclass
class ProposalRunSummary:
    """What a :func:`compute_proposals` or :func:`convert_proposals` call did."""
    out_file: str
    num_images: int
    num_computed: int = 0
    num_cached: int = 0
    failures: Dict[str, str] = field(default_factory=dict)  # image path -> reason
    num_proposals: List[int] = field(default_factory=list)  # per image, in output order
    wall_seconds: float = 0.0
    compute_seconds: float = 0.0  # selective search + I/O summed over computed images
    cache_dir: Optional[str] = None

    @property
    def mean_proposals(self) -> float:
        """Mean number of proposals per image (failed images count as 0)."""
        return float(np.mean(self.num_proposals)) if self.num_proposals else 0.0

    @property
    def seconds_per_image(self) -> float:
        """Single-process seconds per computed image (nan when nothing was computed)."""
        return self.compute_seconds / self.num_computed if self.num_computed else float('nan')
