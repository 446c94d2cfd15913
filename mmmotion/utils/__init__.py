from .config import prepare_config
from .setup_env import register_all_modules

__all__ = ['prepare_config', 'register_all_modules']
