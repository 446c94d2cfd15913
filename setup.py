import os
import os.path as osp
import shutil
import sys

from setuptools import find_packages, setup

# what the package carries in mmmotion/.mim (found there by mmmotion.utils.package_path and by `mim`)
MIM_FILES = ('configs', 'tools')


def read_version() -> str:
    scope: dict = {}
    with open('mmmotion/version.py') as f:
        exec(f.read(), scope)
    return scope['__version__']


def parse_requirements(path: str) -> list:
    with open(path) as f:
        return [line.split('#')[0].strip() for line in f if line.split('#')[0].strip()]


def add_mim_extension() -> None:
    """Put ``configs`` and ``tools`` inside the package as ``mmmotion/.mim``, as OpenMMLab packages do:
    links to the checkout for an editable install (``develop`` / ``editable_wheel``), copies for a wheel or
    sdist. Other setup commands leave it alone."""
    if any(cmd in sys.argv for cmd in ('develop', 'editable_wheel')):
        mode = 'symlink'
    elif any(cmd in sys.argv for cmd in ('sdist', 'bdist_wheel', 'build', 'build_py', 'install')):
        mode = 'copy'
    else:
        return
    here = osp.dirname(osp.abspath(__file__))
    mim_dir = osp.join(here, 'mmmotion', '.mim')
    os.makedirs(mim_dir, exist_ok=True)
    for name in MIM_FILES:
        source, target = osp.join(here, name), osp.join(mim_dir, name)
        if not osp.exists(source):
            continue
        if osp.islink(target) or osp.isfile(target):
            os.remove(target)
        elif osp.isdir(target):
            shutil.rmtree(target)
        if mode == 'symlink':
            os.symlink(osp.relpath(source, mim_dir), target)
        else:
            shutil.copytree(source, target, ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))


add_mim_extension()
setup(
    name='mmmotion',
    version=read_version(),
    description='Learning Features by Watching Objects Move, on the OpenMMLab stack',
    long_description=open('README.md').read() if __import__('os').path.exists('README.md') else '',
    long_description_content_type='text/markdown',
    packages=find_packages(exclude=('configs', 'tools', 'tests', 'projects')),
    include_package_data=True,
    python_requires='>=3.8',
    install_requires=parse_requirements('requirements/runtime.txt'),
    extras_require={'tests': parse_requirements('requirements/tests.txt')},
    zip_safe=False,
)
