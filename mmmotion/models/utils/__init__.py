from .pretrained import alexnet_settings, load_stage_weights, read_state_dict

__all__ = ['alexnet_settings', 'load_stage_weights', 'read_state_dict']
