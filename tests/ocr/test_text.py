"""General text reading: lines, scores and positions in the input frame, any way up."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from engine import ocr
from engine.ocr._geometry import map_points, turn_matrix
from tests.ocr.pixels import decoded

BACK = "cnid_syn_s1_back.jpg"
EXPECTED = [
    "中华人民共和国",
    "居民身份证",
    "签发机关北京市公安局东城分局",
    "有效期限2016.05.20-2036.05.20",
]


def _centre(line):
    box = line.quad.box
    return (box.left + box.right) / 2, (box.top + box.bottom) / 2


def test_lines_are_read_in_order_with_scores_and_positions(ocr_models, load):
    pixels = load(BACK)
    page = ocr.read_text(decoded(pixels))
    assert (page.width, page.height, page.rotation) == (972, 622, 0)
    assert [line.text for line in page.lines][:4] == EXPECTED
    assert all(0.9 < line.score <= 1.0 for line in page.lines)
    title = page.lines[1].quad.box  # 居民身份证 spans about x 305-883, y 176-258
    assert title.left == pytest.approx(305, abs=20) and title.bottom == pytest.approx(258, abs=15)


@pytest.mark.slow
@pytest.mark.parametrize(("k", "rotation"), [(1, 90), (2, 180), (3, 270)])
def test_a_turned_page_reads_upright_with_positions_in_the_turned_image(
    ocr_models, load, k, rotation
):
    pixels = load(BACK)
    height, width = pixels.shape[:2]
    upright = ocr.read_text(decoded(pixels))
    turned = ocr.read_text(decoded(np.rot90(pixels, k)))
    assert turned.rotation == rotation
    assert [line.text for line in turned.lines][:4] == EXPECTED
    # np.rot90 turns counter-clockwise: map the title's centre back with the clockwise undo
    back = np.linalg.inv(turn_matrix(-90 * k % 360, width, height))
    ((x, y),) = map_points(back, np.array([_centre(turned.lines[1])]))
    ux, uy = _centre(upright.lines[1])
    assert (x, y) == (pytest.approx(ux, abs=6), pytest.approx(uy, abs=6))


@pytest.mark.slow
def test_the_reader_is_shared_by_threads(ocr_models, load):
    image = decoded(load(BACK))
    with ThreadPoolExecutor(max_workers=3) as pool:
        pages = list(pool.map(ocr.read_text, [image] * 3))
    assert all(page == pages[0] for page in pages)
    assert [line.text for line in pages[0].lines][:4] == EXPECTED


def test_models_are_versioned_by_their_files(ocr_models):
    assert ocr.ready()
    assert [part.split(":")[0] for part in ocr.version().split("+")] == [
        "ppocrv4-det",
        "ppocr-cls",
        "ppocrv4-rec",
    ]
