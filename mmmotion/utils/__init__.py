from .config import load_config, package_path, prepare_config
from .setup_env import register_all_modules

__all__ = ['load_config', 'package_path', 'prepare_config', 'register_all_modules']
