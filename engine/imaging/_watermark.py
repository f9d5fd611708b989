"""An invisible, keyed watermark carrying 32 bytes (SenseTime §5.3–5.4): tiled spread spectrum
in the luma, found again after JPEG, resizing and cropping by a scale search and a cyclic
correlation.

Why not the `invisible-watermark` package: its DWT-DCT methods lose the mark under cropping
(and its most robust method needs torch); resizing to 50% and mild crops are required here.

Embedding. A 4-byte key seeds (SHA-256) a 32 × 32 grid of ±1 chips and a permutation of its
cells: 256 cells carry a pilot (the chip itself), the other 768 the 256 code bits, three
each, a cell's value being its chip times ±1 for the bit. Each cell is `CELL` px square (a
`TILE`-px tile), softened by a small blur, and the tile repeats over the whole image, so any
crop still holds whole periods. It is added to the luma (YCrCb; chroma untouched) with an
amplitude that follows local texture (more where the eye does not see it, less on flat skin
and sky), scaled so that the marked image's PSNR is `TARGET_PSNR` dB before rounding.

Decoding. The received image is first high-passed (luma minus its blur at the cell size) to
remove the picture. For each candidate scale (the received image may have been resized), it is
resampled back to the embedding scale and folded: all tile-sized blocks summed into one tile,
which adds up the mark and averages the picture away. The cyclic cross-correlation of that tile
with the key's pilot (by FFT) peaks at the tile's shift, which is what a crop changes. The scale
search is coarse (3% steps, on a central 256-px region, where a 1.5% scale error still keeps
chips aligned) then fine (0.25% steps, on a central region of up to 768 px). At the best scale
and shift, each bit is the sign of the sum of its cells times their chips, over a central
region of up to 1536 px.

The score is the share of the 256 bits that differ from the expected code (the manual's
"below 0.1 is trusted"). An unmarked image, or one marked under another key, gives about 0.5;
rates under each distortion: `python -m benchmarks.watermark`, docs/sensetime-advanced.md.
The key is 4 bytes, as the manual defines it: 2³² keys can be searched by anyone who holds a
decoder, so the mark proves origin against casual copying, not against a determined forger.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

from contracts.errors import ErrorKind, IdfError

CODE_BYTES = 32
KEY_BYTES = 4
BITS = CODE_BYTES * 8
CELLS = 32  # cells per tile side
CELL = 6  # px per cell side at the embedding scale
TILE = CELLS * CELL
PILOT_CELLS = 256
TARGET_PSNR = 39.0
TRUSTED_BELOW = 0.1  # the manual's threshold on the score
MIN_SIDE = 64
_SCALES = (0.25, 1.5)  # resizes the decoder looks for (received / embedded size)
_COARSE_STEP = 0.03
_FINE_STEP = 0.0025
_COARSE_REGION = 384  # px at the embedding scale
_FINE_REGION = 768
_READ_REGION = 1536  # at 0.25% steps the chips stay aligned within half a cell over it
_SOFTEN = 1.0  # σ of the blur that softens cell edges, px


@dataclass(frozen=True)
class Keyed:
    """The key's chips, pilot cells and the bit each data cell carries (flattened 32 × 32)."""

    chips: np.ndarray  # ±1 per cell
    pilot: np.ndarray  # bool per cell
    bit_of: np.ndarray  # bit index per cell, -1 for pilot cells
    pilot_tile: np.ndarray  # TILE × TILE float32, the pilot's pixels


@dataclass(frozen=True)
class Reading:
    """What the decoder found: the code it read, its bit error rate against the expected code,
    and how clearly the pilot stood out (peak z-score) at the scale and shift it chose."""

    code: bytes
    score: float
    pilot_z: float
    scale: float
    shift: tuple[int, int]

    @property
    def trusted(self) -> bool:
        """The manual's reading of the score: below 0.1 the mark is genuine."""
        return self.score < TRUSTED_BELOW


def check_code(code: bytes) -> bytes:
    """The code padded with zero bytes to 32; longer is refused."""
    if not code or len(code) > CODE_BYTES:
        raise IdfError(ErrorKind.bad_param, f"code must be 1 to {CODE_BYTES} bytes", field="code")
    return code.ljust(CODE_BYTES, b"\0")


def check_key(key: bytes) -> bytes:
    if not key or len(key) > KEY_BYTES:
        raise IdfError(ErrorKind.bad_param, f"key must be 1 to {KEY_BYTES} bytes", field="key")
    return key.ljust(KEY_BYTES, b"\0")


def watermark_secrets(code: bytes, key: bytes) -> tuple[bytes, bytes]:
    """Both checked and padded: a request's `code` and `key` (bad_param names the field)."""
    return check_code(code), check_key(key)


@lru_cache(maxsize=64)
def keyed(key: bytes) -> Keyed:
    seed = int.from_bytes(hashlib.sha256(b"idfacade-watermark-v1" + key).digest()[:8], "little")
    rng = np.random.default_rng(seed)
    count = CELLS * CELLS
    chips = rng.choice(np.array([-1.0, 1.0], np.float32), count)
    order = rng.permutation(count)
    pilot = np.zeros(count, bool)
    pilot[order[:PILOT_CELLS]] = True
    bit_of = np.full(count, -1, np.int64)
    bit_of[order[PILOT_CELLS:]] = np.arange(count - PILOT_CELLS) % BITS
    return Keyed(chips, pilot, bit_of, _tile(np.where(pilot, chips, 0.0)))


def _tile(cells: np.ndarray) -> np.ndarray:
    pixels = np.kron(cells.reshape(CELLS, CELLS), np.ones((CELL, CELL), np.float32))
    pad = 4 * CELL  # the tile repeats: blur it with its neighbours' edges
    wrapped = np.pad(pixels.astype(np.float32), pad, mode="wrap")
    return cv2.GaussianBlur(wrapped, (0, 0), _SOFTEN)[pad:-pad, pad:-pad]


def _bits(code: bytes) -> np.ndarray:
    return np.unpackbits(np.frombuffer(code, np.uint8))


def embed(bgr: np.ndarray, code: bytes, key: bytes) -> np.ndarray:
    """`bgr` with the code marked under the key (both padded as check_code/check_key do)."""
    code, key = check_code(code), check_key(key)
    height, width = bgr.shape[:2]
    if min(height, width) < MIN_SIDE:
        raise IdfError(
            ErrorKind.image_size, f"a watermark needs at least {MIN_SIDE} px a side", field="file"
        )
    k = keyed(key)
    signs = np.where(k.pilot, 1.0, 2.0 * _bits(code)[np.maximum(k.bit_of, 0)] - 1.0)
    tile = _tile((k.chips * signs).astype(np.float32))
    pattern = np.tile(tile, (-(-height // TILE), -(-width // TILE)))[:height, :width]
    ycc = cv2.cvtColor(bgr, cv2.COLOR_BGR2YCrCb).astype(np.float32)
    luma = ycc[..., 0]
    activity = np.sqrt(
        np.maximum(cv2.GaussianBlur(luma**2, (0, 0), 4) - cv2.GaussianBlur(luma, (0, 0), 4) ** 2, 0)
    )
    weight = np.clip(activity / max(float(np.median(activity)), 1.0), 0.5, 2.0)
    # Pixels near black or white clip; keep the mark where it survives rounding.
    weight *= np.clip(np.minimum(luma, 255.0 - luma) / 16.0, 0.0, 1.0)
    mark = weight * pattern
    target_rms = 255.0 / 10 ** (TARGET_PSNR / 20)
    mark *= target_rms / max(float(np.sqrt(np.mean(mark**2))), 1e-6)
    ycc[..., 0] = luma + mark
    out = cv2.cvtColor(np.clip(ycc.round(), 0, 255).astype(np.uint8), cv2.COLOR_YCrCb2BGR)
    return out


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return float("inf") if mse == 0 else 10 * np.log10(255.0**2 / mse)


def _residual(luma: np.ndarray) -> np.ndarray:
    """The picture's detail at the cell scale, divided by its local strength: edges and
    texture would otherwise outvote the mark in every sum."""
    detail = luma - cv2.GaussianBlur(luma, (0, 0), CELL)
    strength = np.sqrt(cv2.GaussianBlur(detail**2, (0, 0), 2 * CELL))
    return detail / (strength + 2.0)


def _centre(luma: np.ndarray, side: int) -> np.ndarray:
    height, width = luma.shape
    top, left = max((height - side) // 2, 0), max((width - side) // 2, 0)
    return luma[top : top + side, left : left + side]


def _fold(residual: np.ndarray) -> np.ndarray:
    height, width = residual.shape
    rows, cols = -(-height // TILE), -(-width // TILE)
    padded = np.zeros((rows * TILE, cols * TILE), np.float32)
    padded[:height, :width] = residual
    return padded.reshape(rows, TILE, cols, TILE).sum(axis=(0, 2))


def _correlate(folded: np.ndarray, k: Keyed) -> tuple[float, tuple[int, int]]:
    """Peak z-score of the cyclic correlation with the pilot, and the shift (dy, dx) there."""
    surface = np.fft.irfft2(
        np.fft.rfft2(folded) * np.conj(np.fft.rfft2(k.pilot_tile)), s=folded.shape
    )
    peak = np.unravel_index(int(np.argmax(surface)), surface.shape)
    z = (float(surface[peak]) - float(surface.mean())) / max(float(surface.std()), 1e-9)
    return z, (int(peak[0]), int(peak[1]))


def _centre_corner(shape: tuple[int, ...], scale: float, region: int) -> tuple[int, int]:
    """Where `_at_scale`'s central region starts, in embedding-scale pixels."""
    side = max(int(region * scale), 8)
    height, width = shape[:2]
    return round(max((height - side) // 2, 0) / scale), round(max((width - side) // 2, 0) / scale)


def _at_scale(luma: np.ndarray, scale: float, region: int | None) -> np.ndarray:
    """The received luma resampled to the embedding scale (received = embedded × scale),
    cut to its central `region` px (at the embedding scale) first."""
    if region is not None:
        luma = _centre(luma, max(int(region * scale), 8))
    height, width = luma.shape
    size = (max(round(width / scale), 8), max(round(height / scale), 8))
    shrink = scale > 1.0
    resized = cv2.resize(luma, size, interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)
    return _residual(resized)


def _search(luma: np.ndarray, k: Keyed) -> tuple[float, float, tuple[int, int]]:
    def best(scales: np.ndarray, region: int) -> tuple[float, float, tuple[int, int]]:
        found = []
        for scale in scales:
            z, shift = _correlate(_fold(_at_scale(luma, float(scale), region)), k)
            found.append((z, float(scale), shift))
        return max(found)

    low, high = _SCALES
    coarse = np.exp(np.arange(np.log(low), np.log(high) + 1e-9, np.log1p(_COARSE_STEP)))
    _, scale, _ = best(coarse, _COARSE_REGION)
    span = np.log1p(1.5 * _COARSE_STEP)
    fine = np.exp(np.arange(np.log(scale) - span, np.log(scale) + span, np.log1p(_FINE_STEP)))
    return best(fine, _FINE_REGION)


def read(bgr: np.ndarray, key: bytes, expected: bytes) -> Reading:
    """Look for a mark under `key` and compare what it carries with `expected`."""
    key, expected = check_key(key), check_code(expected)
    k = keyed(key)
    luma = cv2.cvtColor(bgr, cv2.COLOR_BGR2YCrCb)[..., 0].astype(np.float32)
    z, scale, (dy, dx) = _search(luma, k)
    # The shift found on the central region, moved to the larger region's corner.
    fine = _centre_corner(luma.shape, scale, _FINE_REGION)
    wide = _centre_corner(luma.shape, scale, _READ_REGION)
    dy = (dy + fine[0] - wide[0]) % TILE
    dx = (dx + fine[1] - wide[1]) % TILE
    folded = np.roll(_fold(_at_scale(luma, scale, _READ_REGION)), (-dy, -dx), axis=(0, 1))
    cells = folded.reshape(CELLS, CELL, CELLS, CELL).sum(axis=(1, 3)).ravel() * k.chips
    data = ~k.pilot
    soft = np.bincount(k.bit_of[data], weights=cells[data], minlength=BITS)
    bits = (soft > 0).astype(np.uint8)
    errors = int(np.count_nonzero(bits != _bits(expected)))
    return Reading(
        code=np.packbits(bits).tobytes(),
        score=errors / BITS,
        pilot_z=z,
        scale=scale,
        shift=(dy, dx),
    )
