"""How the pseudo-ground-truth generator scales from 1 to 2 workers, in a process pool and on Ray, and
where the lost scaling goes.

Each setting (launcher, workers, library threads per worker) runs the real generator
(:func:`mmmotion.pseudo_gt.generate.generate_dataset`, real decoding, real uNLC) over the same videos in a
fresh interpreter, into its own output folder; all settings must write the same records. Besides
frames/s it reports, from the generator's own ``timing`` summary, how busy the workers were, how much
CPU each busy second used, and how much of a video's time was the segmenter's (the rest being decoding,
shot detection and writing). Three costs are measured apart, in this process with one library thread:
decoding (one read of every frame, resized as the generator does), shot detection, and pickling a
task's arguments and its result (what crosses between the driver and a worker: frames never do, a
worker reads its video itself). From the 1-worker run's per-video times it computes the makespan that
2 workers would have with the videos in list order and longest first, which shows how much of the
loss is the tail (one worker idle while the other finishes the last video).
"""
import os
import os.path as osp
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any, Dict, List, Optional, Sequence, Tuple

from mmmotion.utils.fileio import atomic_write_json, read_json
from mmmotion.utils.pool import limit_threads, thread_env

# (launcher, workers, threads per worker); None: the generator's default
DEFAULT_SETTINGS: Tuple[Tuple[str, int, Optional[int]], ...] = (
    ('none', 1, None), ('none', 1, 1), ('none', 2, None), ('ray', 1, None), ('ray', 2, None))
DAVIS_FOLD_A = ('blackswan', 'car-shadow', 'dog', 'kite-surf', 'parkour')


def davis_videos(root: str, names: Sequence[str] = DAVIS_FOLD_A) -> List[str]:
    """Frame folders ``JPEGImages/480p/<name>`` of a DAVIS-layout root."""
    paths = [osp.join(root, 'JPEGImages', '480p', n) for n in names]
    missing = [p for p in paths if not osp.isdir(p)]
    if missing:
        raise FileNotFoundError(f'no frame folder {missing[0]}')
    return paths


def setting_name(launcher: str, workers: int, threads: Optional[int]) -> str:
    name = f"{'local' if launcher == 'none' else launcher} x{workers}"
    return name + (f", {threads} thread{'' if threads == 1 else 's'}" if threads else '')


def _child(arg_file: str) -> None:
    """One setting in this (fresh) interpreter: a Ray started apart so that its start-up is timed apart."""
    from mmmotion.pseudo_gt.generate import generate_dataset
    args = read_json(arg_file)
    startup = shutdown = 0.0
    if args['launcher'] == 'ray':
        import ray
        t0 = time.perf_counter()
        ray.init(num_cpus=args['workers'] * (args['threads'] or 1), include_dashboard=False,
                 log_to_driver=False)
        startup = time.perf_counter() - t0
    c0, t0 = time.process_time(), time.perf_counter()
    summary = generate_dataset(args['videos'], args['out'], cfg=args['cfg'], launcher=args['launcher'],
                               workers=args['workers'], threads=args['threads'], merge=False)
    driver_cpu, total = time.process_time() - c0, time.perf_counter() - t0
    if args['launcher'] == 'ray':
        import ray
        t0 = time.perf_counter()
        ray.shutdown()
        shutdown = time.perf_counter() - t0
    summary.update(startup_s=round(startup, 3), shutdown_s=round(shutdown, 3), driver_cpu_s=round(driver_cpu, 3),
                   call_s=round(total, 3))
    atomic_write_json(args['result'], summary, indent=1)


def run_setting(videos: Sequence[str], cfg: Dict[str, Any], launcher: str, workers: int, threads: Optional[int],
                out_dir: str, timeout: float = 1800) -> Dict[str, Any]:
    """The generator's summary of one setting, run in a fresh interpreter (its own imports, thread pools and
    Ray); a single in-process worker given ``threads`` also starts with its BLAS capped."""
    os.makedirs(out_dir, exist_ok=True)
    arg_file, result = osp.join(out_dir, 'args.json'), osp.join(out_dir, 'summary.json')
    atomic_write_json(arg_file, dict(videos=list(videos), cfg=cfg, launcher=launcher, workers=workers,
                                     threads=threads, out=osp.join(out_dir, 'ds'), result=result))
    import mmmotion
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join([osp.dirname(osp.dirname(osp.abspath(mmmotion.__file__)))] +
                                        [p for p in env.get('PYTHONPATH', '').split(os.pathsep) if p])
    if launcher == 'none' and workers == 1 and threads:
        env.update(thread_env(threads))
    code = 'import sys; from mmmotion.experiments.generator_scaling import _child; _child(sys.argv[1])'
    proc = subprocess.run([sys.executable, '-c', code, arg_file], env=env, capture_output=True, text=True,
                          timeout=timeout)
    if proc.returncode != 0 or not osp.isfile(result):
        raise RuntimeError(f'{setting_name(launcher, workers, threads)} failed ({proc.returncode}):\n'
                           f'{proc.stderr[-3000:]}')
    return read_json(result)


def records_of(ds_dir: str) -> Dict[str, bytes]:
    """{video id: record file bytes} of a dataset folder."""
    folder = osp.join(ds_dir, 'records')
    return {n[:-5]: open(osp.join(folder, n), 'rb').read() for n in sorted(os.listdir(folder))
            if n.endswith('.json') and not n.startswith('.')}


def decode_profile(videos: Sequence[str], cfg: Dict[str, Any]) -> Dict[str, Any]:
    """Seconds per frame, in this process with one library thread, of one read of every frame resized to
    the generator's size, and of shot detection on those frames (a worker does both, and reads the
    segmented frames a second time)."""
    from mmmotion.utils.video_io import iter_frames
    from mmmotion.pseudo_gt.process import GeneratorConfig, build_shot_detector
    from mmmotion.utils.fileio import resize_longest_side
    gen = GeneratorConfig.from_dict(cfg.get('generator', {}))
    limit_threads(1)
    n = 0
    decode = shots = 0.0
    for path in videos:
        t0 = time.perf_counter()
        frames = [resize_longest_side(f, gen.image_max_side) for f in iter_frames(path)]
        t1 = time.perf_counter()
        build_shot_detector(gen.shot_detector)(iter(frames))
        shots += time.perf_counter() - t1
        decode += t1 - t0
        n += len(frames)
    return dict(frames=n, decode_s_per_frame=decode / n, shots_s_per_frame=shots / n)


def pickle_profile(videos: Sequence[str], cfg: Dict[str, Any], ds_dir: str, repeat: int = 20) -> Dict[str, Any]:
    """Bytes and seconds to pickle and unpickle what crosses between the driver and a worker per video:
    the task's arguments (the video's entry, the generator's settings, the segmenter) and its result
    (the record, with its RLE masks, and the timing)."""
    from mmmotion.pseudo_gt.generate import _prepare
    from mmmotion.pseudo_gt.inputs import list_videos
    entries = list_videos(list(videos))
    with tempfile.TemporaryDirectory() as tmp:
        gen_cfg, seg = _prepare(tmp, dict(cfg), None)
    items = [((e, ds_dir, gen_cfg, seg), (read_json(osp.join(ds_dir, 'records', f'{e.video_id}.json')), {}))
             for e in entries]
    t0 = time.perf_counter()
    sizes = []
    for _ in range(repeat):
        sizes = [(len(pickle.dumps(a)), len(pickle.dumps(r))) for a, r in items]
        for a, r in items:
            pickle.loads(pickle.dumps(a))
            pickle.loads(pickle.dumps(r))
    per_video = (time.perf_counter() - t0) / repeat / len(items)
    return dict(task_bytes=max(s for s, _ in sizes), result_bytes=max(r for _, r in sizes),
                s_per_video=per_video)


def makespan(durations: Sequence[float], workers: int) -> float:
    """When the last of ``durations`` ends when each goes, in order, to the first free of ``workers``."""
    free = [0.0] * workers
    for d in durations:
        i = min(range(workers), key=free.__getitem__)
        free[i] += d
    return max(free) if free else 0.0


def schedule_profile(summary: Dict[str, Any], workers: int = 2) -> Dict[str, Any]:
    """From a 1-worker run's per-video busy seconds (in the order they ran): the speed-up ``workers`` would
    give with no overhead at all, taking the videos in that order, longest first, and perfectly balanced."""
    busy = [v['wall_s'] for v in summary['timing']['videos']]
    total = sum(busy)
    in_order, longest = makespan(busy, workers), makespan(sorted(busy, reverse=True), workers)
    return dict(videos=len(busy), total_s=round(total, 3), speedup_in_order=round(total / in_order, 3),
                speedup_longest_first=round(total / longest, 3),
                speedup_balanced=round(total / max(total / workers, max(busy, default=0.0)), 3))


def measure_scaling(videos: Sequence[str], cfg: Dict[str, Any],
                    settings: Sequence[Tuple[str, int, Optional[int]]] = DEFAULT_SETTINGS,
                    work_dir: Optional[str] = None, keep: bool = False) -> Dict[str, Any]:
    """Every setting on ``videos`` in turn (see the module's docstring), then the decode, shot and
    pickling costs; raises if two settings wrote different records."""
    from mmmotion.engine.runs.provenance import code_version, machine_description
    work = work_dir or tempfile.mkdtemp(prefix='gen_scaling_')
    load_before = os.getloadavg()
    try:
        runs = []
        for i, (launcher, workers, threads) in enumerate(settings):
            summary = run_setting(videos, cfg, launcher, workers, threads, osp.join(work, f'run{i}'))
            runs.append(dict(launcher=launcher, workers=workers, threads=threads, summary=summary))
        first = records_of(osp.join(work, 'run0', 'ds'))
        for i, run in enumerate(runs[1:], 1):
            if records_of(osp.join(work, f'run{i}', 'ds')) != first:
                raise RuntimeError(f'{setting_name(run["launcher"], run["workers"], run["threads"])} wrote '
                                   f'other records than {setting_name(runs[0]["launcher"], 1, runs[0]["threads"])}')
        decode = decode_profile(videos, cfg)
        pickling = pickle_profile(videos, cfg, osp.join(work, 'run0', 'ds'))
    finally:
        if not keep and work_dir is None:
            shutil.rmtree(work, ignore_errors=True)
    single = [r for r in runs if r['workers'] == 1]
    return dict(machine=machine_description(('numpy', 'cv2', 'ray')), code=code_version(), videos=list(videos),
                load_before=[round(x, 2) for x in load_before], load_after=[round(x, 2) for x in os.getloadavg()],
                runs=runs, decode=decode, pickling=pickling,
                schedule=[dict(setting=setting_name(r['launcher'], 1, r['threads']), **schedule_profile(r['summary']))
                          for r in single])


def _fps(run: Dict[str, Any]) -> float:
    """Frames segmented per second of the generator's elapsed time (for Ray, after ``ray.init``)."""
    return run['summary']['frames']['segmented'] / run['summary']['elapsed_s']


def _opencv_threads(run: Dict[str, Any]) -> List[int]:
    return sorted({d.get('opencv') for d in run['summary']['timing']['library_threads']})


def _row(run: Dict[str, Any], base: Optional[Dict[str, Any]], in_process: Optional[Dict[str, Any]]) -> List[str]:
    s, t = run['summary'], run['summary']['timing']
    frames = s['frames']['segmented']
    return [setting_name(run['launcher'], run['workers'], run['threads']), f"{s['elapsed_s']:.1f}",
            f"{s.get('startup_s', 0):.1f}", str(frames), f'{_fps(run):.2f}',
            '-' if base is None else f'{_fps(run) / _fps(base):.2f}x',
            '-' if in_process is None else f'{_fps(run) / _fps(in_process):.2f}x',
            f"{t['busy_share']:.2f}", f"{t['cpu_per_busy']:.2f}", f"{t['cpu_s'] / frames:.3f}",
            f"{t['segment_wall_s'] / t['busy_s']:.2f}", f"{s['driver_cpu_s']:.1f}",
            '/'.join(str(x) for x in _opencv_threads(run))]


def to_markdown(result: Dict[str, Any], command: str, heading: str) -> str:
    """The results as a ``docs/benchmarks.md`` section."""
    lines = [heading, '',
             f"Measured by `{command}` on {result['machine']}; mmmotion {result['code']}. Load average "
             f"(1/5/15 min) before: {' / '.join(map(str, result['load_before']))}, after: "
             f"{' / '.join(map(str, result['load_after']))}. Videos: "
             f"{', '.join(osp.basename(v) for v in result['videos'])}; every setting ran in a fresh interpreter "
             'and wrote the same records.', '',
             '| setting | wall s | Ray start s | frames | frames/s | vs 1 worker | vs local x1 | busy share | '
             'CPU per busy s | CPU s/frame | segmenter share | driver CPU s | OpenCV threads |',
             '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |']
    in_process = next((r for r in result['runs'] if (r['launcher'], r['workers'], r['threads']) == ('none', 1, None)),
                      None)
    for run in result['runs']:
        base = None
        if run['workers'] > 1:  # one worker of the same launcher with the threads each of these workers had
            base = next((r for r in result['runs'] if r['launcher'] == run['launcher'] and r['workers'] == 1
                         and _opencv_threads(r) == _opencv_threads(run)), None)
        lines.append('| ' + ' | '.join(_row(run, base, None if run is in_process else in_process)) + ' |')
    d, p = result['decode'], result['pickling']
    lines += ['', 'wall s: the generator\'s elapsed time (for Ray after `ray.init`, whose start-up is the next '
              'column); vs 1 worker: frames/s over the 1-worker run of the same launcher with the threads each '
              'worker of this run had; vs local x1: over one worker in the driver with '
              'the libraries\' default threads (one per core); busy share: the workers\' time inside '
              '`process_video` over workers x wall; CPU per busy s: CPU seconds (all threads) per busy '
              'second; segmenter share: the segmenter\'s part of the busy time (the rest: decoding twice, shot '
              'detection, the quality score, writing); OpenCV threads: per worker, as the worker saw them.', '',
              f"Apart, with one thread: decoding and resizing {d['decode_s_per_frame'] * 1000:.1f} ms/frame, "
              f"shot detection {d['shots_s_per_frame'] * 1000:.1f} ms/frame ({d['frames']} frames); pickling "
              f"a task's arguments ({p['task_bytes']} B) and its result ({p['result_bytes']} B) there and back "
              f"{p['s_per_video'] * 1000:.2f} ms per video.", '']
    if result['schedule']:
        lines += ['| 1-worker run | videos | busy s | 2 workers in list order | longest first | balanced |',
                  '| --- | ---: | ---: | ---: | ---: | ---: |']
        for s in result['schedule']:
            lines.append(f"| {s['setting']} | {s['videos']} | {s['total_s']:.1f} | {s['speedup_in_order']:.2f}x | "
                         f"{s['speedup_longest_first']:.2f}x | {s['speedup_balanced']:.2f}x |")
        lines += ['', 'The last table: the speed-up 2 workers would reach with no overhead at all, given the '
                  '1-worker run\'s per-video times, taking the videos in list order, longest first, or perfectly '
                  'balanced (the bound: half the total, or the longest video).', '']
    return '\n'.join(lines) + '\n'
