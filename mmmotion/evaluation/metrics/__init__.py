from .mask_iou import MaskIoU, centred_box, mask_iou

__all__ = ['MaskIoU', 'mask_iou', 'centred_box']
