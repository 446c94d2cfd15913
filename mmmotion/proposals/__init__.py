"""Region proposals for Fast R-CNN: computed with selective search, imported from other tools' files,
written in mmdet's ``proposal_file`` format, and scored by recall."""
from .compute import compute_proposals, default_cache_dir
from .convert import convert_proposals
from .io import check_boxes, proposal_key, rank_scores, read_voc_boxes, save_proposals, voc_split_images
from .recall import proposal_recall, voc_gt_boxes
from .selective_search import SELECTIVE_SEARCH_MODES, selective_search
from .summary import ProposalRunSummary

__all__ = [
    'compute_proposals', 'default_cache_dir', 'convert_proposals', 'check_boxes', 'proposal_key', 'rank_scores',
    'read_voc_boxes', 'save_proposals', 'voc_split_images', 'proposal_recall', 'voc_gt_boxes',
    'SELECTIVE_SEARCH_MODES', 'selective_search', 'ProposalRunSummary'
]
