"""Write image | target | prediction panels of training batches every N iterations."""
import os
import os.path as osp
from typing import Optional

import mmcv
import numpy as np
import torch
from mmengine.hooks import Hook

from mmmotion.registry import HOOKS
from mmmotion.visualization.mask_panels import mask_panels


@HOOKS.register_module()
class MaskVisualizationHook(Hook):
    """Every ``interval`` training iterations, predict masks for the first ``max_samples`` crops of
    the current batch (model in eval mode, no gradient) and write a panel image
    ``<work_dir>/<out_dir>/iter_<n>.png``; also sent to the visualizer's backends when there is one.

    Args:
        interval: iterations between panels.
        max_samples: crops per panel.
        out_dir: folder under the work dir.
        bgr_inputs: the packed crops are BGR (as mmcv loads them) and are shown as RGB.
    """

    priority = 'LOW'

    def __init__(self, interval: int = 500, max_samples: int = 4, out_dir: str = 'vis',
                 bgr_inputs: bool = True) -> None:
        if interval <= 0:
            raise ValueError(f'interval must be > 0, got {interval}')
        self.interval = interval
        self.max_samples = max_samples
        self.out_dir = out_dir
        self.bgr_inputs = bgr_inputs

    def after_train_iter(self, runner, batch_idx: int, data_batch: Optional[dict] = None,
                         outputs=None) -> None:
        if not self.every_n_train_iters(runner, self.interval) or data_batch is None:
            return
        from mmengine.dist import is_main_process
        if not is_main_process():
            return
        model = runner.model.module if hasattr(runner.model, 'module') else runner.model
        inputs = data_batch['inputs'][:self.max_samples]
        samples = data_batch['data_samples'][:self.max_samples]
        was_training = model.training
        model.eval()
        try:
            with torch.no_grad():
                data = model.data_preprocessor(dict(inputs=inputs, data_samples=samples), False)
                probs = model.head.predict(model.extract_feat(data['inputs']))
        finally:
            model.train(was_training)
        images = []
        for img in inputs:
            img = img.detach().cpu().numpy().transpose(1, 2, 0)
            images.append(np.ascontiguousarray(img[..., ::-1] if self.bgr_inputs else img).astype(np.uint8))
        targets = [s.gt_mask.data[0].cpu().numpy() for s in samples]
        ignore = samples[0].metainfo.get('ignore_index', 255)
        panel = mask_panels(images, targets, [p.cpu().numpy() for p in probs], ignore)
        step = runner.iter + 1
        path = osp.join(runner.work_dir, self.out_dir, f'iter_{step}.png')
        os.makedirs(osp.dirname(path), exist_ok=True)
        mmcv.imwrite(panel[..., ::-1], path)
        if runner.visualizer is not None:
            runner.visualizer.add_image('motionmask_panels', panel, step=step)
