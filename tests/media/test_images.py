import base64
import io
from urllib.parse import quote

import cv2
import numpy as np
import pytest
from PIL import Image

from contracts.errors import ErrorKind, IdfError
from contracts.images import ImageInput, ImageLimits
from engine.media import decode_base64, decode_image, sniff_image_format

CARD = "id_documents/cn_id_card/cnid_syn_s1_front.jpg"


def _png(width: int, height: int, mode: str = "RGB") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, (width, height), color=0).save(buf, "PNG")
    return buf.getvalue()


def _kind(data: bytes, limits: ImageLimits | None = None) -> ErrorKind:
    with pytest.raises(IdfError) as err:
        decode_image(ImageInput(data=data, limits=limits or ImageLimits(), name="file"))
    assert err.value.field == "file"
    return err.value.kind


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "BMP", "TIFF", "WEBP"])
def test_every_accepted_format_decodes_to_the_same_pixels(shared_data, fmt):
    original = Image.open(shared_data / CARD).convert("RGB").resize((120, 80))
    buf = io.BytesIO()
    original.save(buf, fmt, **({"quality": 100} if fmt in ("JPEG", "WEBP") else {}))
    image = decode_image(ImageInput(data=buf.getvalue()))
    assert (image.width, image.height) == (120, 80)
    assert image.format == fmt.lower()
    rgb = np.asarray(original, dtype=np.int16)[:, :, ::-1]
    assert np.abs(image.pixels.astype(np.int16) - rgb).mean() < 4


def test_exif_orientation_is_applied(shared_data):
    original = Image.open(shared_data / CARD).convert("RGB").resize((200, 100))
    exif = Image.Exif()
    exif[0x0112] = 6  # stored rotated: display turns it 90° clockwise
    buf = io.BytesIO()
    original.save(buf, "JPEG", exif=exif.tobytes())
    image = decode_image(ImageInput(data=buf.getvalue()))
    assert (image.width, image.height) == (100, 200)


def test_truncated_jpeg_is_refused_not_grey_filled(shared_data):
    data = (shared_data / CARD).read_bytes()
    assert _kind(data[: len(data) // 2]) is ErrorKind.image_decode


def test_non_image_and_unaccepted_formats_are_refused():
    assert _kind(b"%PDF-1.4 not an image") is ErrorKind.image_type
    gif = io.BytesIO()
    Image.new("RGB", (20, 20)).save(gif, "GIF")
    assert _kind(gif.getvalue()) is ErrorKind.image_type
    assert _kind(b"") is ErrorKind.missing_param


def test_corrupt_header_is_refused():
    assert _kind(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64) is ErrorKind.image_decode


def test_size_limits_apply_before_decoding():
    assert _kind(_png(8, 100)) is ErrorKind.image_size  # sides must be over 8 px
    assert _kind(_png(5001, 20)) is ErrorKind.image_size
    assert _kind(_png(100, 100), ImageLimits(max_bytes=50)) is ErrorKind.image_too_large
    assert decode_image(ImageInput(data=_png(9, 5000))).height == 5000


def test_decompression_bomb_is_refused_by_header_before_pixels():
    # A 20000×20000 PNG of zeros compresses to a few hundred KB; the header alone condemns it.
    bomb = _png(20000, 20000, "1")
    limits = ImageLimits(max_side=50000)
    assert len(bomb) < 1_000_000
    assert _kind(bomb, limits) is ErrorKind.image_size


def test_alpha_and_grey_images_become_bgr():
    rgba = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(rgba, "PNG")
    assert decode_image(ImageInput(data=rgba.getvalue())).pixels[0, 0].tolist() == [255, 255, 255]
    grey = decode_image(ImageInput(data=_png(20, 20, "L")))
    assert grey.pixels.shape == (20, 20, 3)


def test_magic_bytes_decide_the_format_not_the_name():
    assert sniff_image_format(b"\xff\xd8\xff\xe0rest") == "jpeg"
    assert sniff_image_format(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert sniff_image_format(b"RIFF\x00\x00\x00\x00AVI LIST") is None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda b: b,
        lambda b: "data:image/jpeg;base64," + b,
        lambda b: "\n".join(b[i : i + 76] for i in range(0, len(b), 76)),
        lambda b: quote(b, safe=""),
        lambda b: b.replace("+", " "),
        lambda b: b.rstrip("="),
        lambda b: b.replace("+", "-").replace("/", "_"),
    ],
    ids=[
        "plain",
        "data-uri",
        "mime-lines",
        "url-encoded",
        "plus-as-space",
        "no-padding",
        "urlsafe",
    ],
)
def test_base64_as_legacy_clients_send_it(shared_data, mangle):
    raw = (shared_data / CARD).read_bytes()
    text = mangle(base64.b64encode(raw).decode())
    assert decode_base64(text, max_bytes=len(raw) + 10) == raw


def test_base64_is_refused_by_length_before_decoding():
    with pytest.raises(IdfError) as err:
        decode_base64("A" * 4000, max_bytes=1000, field="data")
    assert err.value.kind is ErrorKind.image_too_large and err.value.field == "data"


def test_non_base64_is_a_bad_parameter():
    with pytest.raises(IdfError) as err:
        decode_base64("not*base64!", max_bytes=1000)
    assert err.value.kind is ErrorKind.bad_param


def test_decoded_pixels_match_opencv(shared_data):
    path = shared_data / "faces/barack_obama"
    first = sorted(path.iterdir())[0]
    image = decode_image(ImageInput(data=first.read_bytes()))
    reference = cv2.imread(str(first))
    assert image.pixels.shape == reference.shape
    assert np.abs(image.pixels.astype(int) - reference.astype(int)).mean() < 2
