"""Screen-fixed overlays: pixels that keep their place and their values for a whole shot.

Watermarks, subtitles, letterbox bars and scoreboards are drawn on the screen, not in the scene:
under a moving camera they stay where they are while everything else moves, so a camera model calls
them moving. A tracked object also stays on the screen, but its pixels change (it turns, deforms,
is lit differently, its background shifts around it); an overlay's pixels change by no more than
the image noise. Those pixels carry no motion evidence.
"""
import cv2
import numpy as np
from scipy import ndimage

# the standard deviation of rounding to whole grey levels: no 8-bit image is less noisy
QUANTISATION_NOISE = 12**-0.5


def noise_sigma(image: np.ndarray) -> float:
    """Standard deviation of an image's noise, Immerkaer's estimate ("Fast noise variance estimation",
    1996): the mean absolute response to the Laplacian difference mask, which cancels image structure
    up to second order, times ``sqrt(pi / 2) / 6``. (h, w) grey -> float (grey levels)."""
    mask = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], np.float32)
    response = cv2.filter2D(image.astype(np.float32), -1, mask)[1:-1, 1:-1]
    return float(np.sqrt(np.pi / 2) * np.abs(response).mean() / 6) if response.size else 0.0


def screen_fixed_mask(gray_frames: np.ndarray, noise_multiple: float = 3.0, max_shift: float = 0.05,
                      min_moving_fraction: float = 0.5) -> np.ndarray:
    """Screen-fixed overlays of a shot: pixels whose value stays within ``noise_multiple`` noise
    deviations over the whole shot, in a shot that changes elsewhere, and that are drawn (textured)
    or are letterbox bars.

    A uniform surface (a road, water, a wall) also keeps its values while the camera moves over it,
    but it holds no structure; only fixed edges (text, logos, the frame of a score box) with the fixed
    pixels within two pixels of them, and fixed rows or columns at the frame's border (letterbox and
    pillarbox bars), are taken as drawn on the screen.

    Args:
        gray_frames: (n, h, w) uint8 grey frames of one shot (small frames suffice).
        noise_multiple: a pixel whose temporal standard deviation is below this many noise
            deviations is fixed (the noise is the median over frames of :func:`noise_sigma`); an
            edge is a Sobel response of the shot's median image above this many times the response
            to that noise.
        max_shift: a fixed edge is drawn on the screen when its pixels vary by less than a shift of
            this many pixels would make them (temporal deviation < max_shift x gradient).
        min_moving_fraction: the rest of the shot must change (its pixels are not fixed) over at
            least this fraction of the frame; otherwise (a still camera, a still scene) the static
            scene is no different from an overlay and nothing is called one.

    Returns:
        (h, w) bool, True on overlay pixels.
    """
    frames = gray_frames.astype(np.float32)
    n, h, w = frames.shape
    if n < 3:
        return np.zeros((h, w), bool)
    noise = max(float(np.median([noise_sigma(f) for f in frames])), QUANTISATION_NOISE)
    spread = frames.std(0)
    fixed = spread < noise_multiple * noise
    if 1 - fixed.mean() < min_moving_fraction:
        return np.zeros((h, w), bool)
    fixed = ndimage.binary_closing(fixed)
    median = np.median(frames, 0)
    # a 3x3 Sobel kernel's response to noise of deviation s has deviation sqrt(12) s per direction
    edges = np.hypot(cv2.Sobel(median, -1, 1, 0), cv2.Sobel(median, -1, 0, 1))
    # an edge that moved by d pixels changes its pixels' values by about d times its gradient: a drawn mark
    # does not move at all, a tracked object's outline jitters by a fraction of a pixel
    drawn = fixed & (edges > noise_multiple * np.sqrt(24) * noise) & (spread < max_shift * edges)
    # the drawn marks and the fixed pixels between them (the fill of a score box, the gaps of a text line)
    drawn = fixed & ndimage.binary_dilation(drawn, iterations=2)
    def touching_border(line: np.ndarray) -> np.ndarray:  # the fixed lines in an unbroken run from either end
        return np.cumprod(line).astype(bool) | np.cumprod(line[::-1])[::-1].astype(bool)

    bars = touching_border(fixed.all(1))[:, None] | touching_border(fixed.all(0))[None, :]
    return drawn | bars
