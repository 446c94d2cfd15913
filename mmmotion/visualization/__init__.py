from .mask_panels import mask_panels, prob_to_image, trimap_to_image  # noqa: F401
