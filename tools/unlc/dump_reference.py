"""Run the authors' uNLC (pathak22/videoseg's NLC stage as ``run_ref.py --preset full`` runs it) on one frame
folder and keep what each stage produced, for ``tools/unlc/compare_reference.py``.

Runs in the authors' environment, not mmmotion's: ``bash ../shared/refunlc/setup.sh /tmp/refunlc``, then::

    OMP_NUM_THREADS=1 /tmp/refunlc/venv/bin/python tools/unlc/dump_reference.py \
        ../shared/data/davis16_dev/JPEGImages/480p/libby work_dirs/authors/libby \
        --refunlc /tmp/refunlc --max-side 600 --max-frames 35

It imports the authors' modules from ``--refunlc`` (their code is not part of mmmotion) and calls their functions
in the order of their ``nlc()`` with the ``full`` preset (maxsp 400, 50 iterations in 5 rounds of 10 with blob
damping at 0.7 / 0.6, final blob clean-up, mask > 0.7), recording each flow their saliency computes and each
manifold-ranking map of the appearance fallback. Writes ``OUT/<frame stem>.png`` (0/255 at the frame's size,
the same masks as ``run_ref.py``) and ``OUT/dump.npz``: frames (resized), sp (superpixels), regions
(descriptors), frame_end, small (100x100 RGB frames of the flow), pairs and flows ((i, k) and the flow
from i to k), mr (appearance maps, empty when motion was used), saliency (their initial saliency at frame
size), votes (after each round, before damping), soft (final energy). Needs about 3.4 GiB at 35 frames of
max side 600 (their transition matrix is dense).
"""
import argparse
import os
import sys
import time
import types

import numpy as np


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('frames_dir')
    p.add_argument('out_dir')
    p.add_argument('--refunlc', default='/tmp/refunlc', help="the authors' code as set up by setup.sh")
    p.add_argument('--max-side', type=int, default=600)
    p.add_argument('--max-frames', type=int, default=35)
    return p.parse_args()


def main():
    args = parse_args()
    sys.path.insert(0, args.refunlc)
    import ref_shim  # the runner's compatibility shim (Python 3, current libraries), in the authors' folder
    from PIL import Image
    nlc = ref_shim.load_reference(quiet_flow=True)
    np.random.seed(2905)  # as their runner
    flows, maps = [], []
    flow_fn = nlc.pyflow.coarse2fine_flow

    def recorded_flow(*a, **k):
        u, v, warped = flow_fn(*a, **k)
        flows.append(np.stack([u, v], -1).astype(np.float32))
        return u, v, warped

    nlc.pyflow = types.SimpleNamespace(coarse2fine_flow=recorded_flow)
    saliency_fn = nlc.MR.MR_saliency.saliency

    def recorded_saliency(self, img):
        out = saliency_fn(self, img)
        maps.append(np.asarray(out, np.float32))
        return out

    nlc.MR.MR_saliency.saliency = recorded_saliency

    names = sorted(f for f in os.listdir(args.frames_dir) if f.lower().endswith(('.jpg', '.jpeg', '.png')))
    paths = [os.path.join(args.frames_dir, f) for f in names][:args.max_frames]
    frames, sizes = [], []
    for path in paths:
        im = np.array(Image.open(path).convert('RGB'))
        sizes.append(im.shape[:2])
        frac = min(args.max_side / im.shape[0], args.max_side / im.shape[1], 1.0)
        frames.append(ref_shim.imresize(im, frac) if frac < 1.0 else im)
    seq = np.stack(frames).astype(np.uint8)
    n = len(seq)
    start = time.time()
    sp = nlc.superpixels(seq, 400, redirect=True)
    regions, frame_end = nlc.compute_descriptor(seq, sp, redirect=True)
    trans = nlc.compute_nn(regions, frame_end, F=15, L=2, redirect=True)
    saliency = nlc.compute_saliency(seq, flowBdd=12.5, flowDirBins=20, redirect=True)
    trans = nlc.normalize_nn(trans, sigma=np.sqrt(0.1))
    votes = nlc.salScore2votes(saliency, sp)
    rounds = []
    for _ in range(5):
        votes = nlc.consensus_vote(votes, trans, frame_end, 10)
        rounds.append(votes.copy())
        energy = nlc.remove_low_energy_blobs(nlc.votes2mask(votes, sp), binTh=0.7, relEnergy=0.6, target=0.7 / 4.)
        votes = nlc.salScore2votes(energy, sp)
    del trans
    soft = nlc.remove_low_energy_blobs(nlc.votes2mask(votes, sp), 0.7)
    seconds = time.time() - start
    pairs = [(i, i + j) for i in range(n) for j in range(-3, 4) if j and 0 <= i + j < n]  # their loop's order
    assert len(pairs) == len(flows), (len(pairs), len(flows))
    os.makedirs(args.out_dir, exist_ok=True)
    for i, path in enumerate(paths):
        mask = (soft[i] > 0.7).astype(np.uint8) * 255
        if mask.shape != sizes[i]:
            mask = np.array(Image.fromarray(mask).resize(sizes[i][::-1], Image.NEAREST))
        Image.fromarray(mask).save(os.path.join(args.out_dir, os.path.splitext(os.path.basename(path))[0] + '.png'))
    np.savez_compressed(
        os.path.join(args.out_dir, 'dump.npz'), frames=seq, sp=sp.astype(np.int32), regions=regions,
        frame_end=frame_end, small=np.stack([ref_shim.imresize(f, (100, 100)) for f in seq]), pairs=np.array(pairs),
        flows=np.stack(flows), mr=np.stack(maps) if maps else np.zeros((0, 100, 100), np.float32),
        saliency=saliency.astype(np.float32), votes=np.stack(rounds), soft=soft.astype(np.float32))
    print(f'{args.frames_dir}: {n} frames, {seconds:.1f} s, appearance fallback: {bool(maps)}')


if __name__ == '__main__':
    main()
