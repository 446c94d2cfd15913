from setuptools import find_packages, setup


def read_version() -> str:
    scope: dict = {}
    with open('mmmotion/version.py') as f:
        exec(f.read(), scope)
    return scope['__version__']


def parse_requirements(path: str) -> list:
    with open(path) as f:
        return [line.split('#')[0].strip() for line in f if line.split('#')[0].strip()]


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
