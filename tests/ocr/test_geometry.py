import numpy as np
import pytest

from engine.ocr._geometry import clockwise, map_points, rotation_of, span, turn, turn_matrix


@pytest.mark.parametrize("degrees", [0, 90, 180, 270])
def test_turn_matrix_moves_pixels_where_turn_puts_them(degrees):
    image = np.zeros((30, 50), np.uint8)
    image[4, 7] = 255  # pixel centre (7.5, 4.5)
    turned = turn(image, degrees)
    ((x, y),) = map_points(turn_matrix(degrees, 50, 30), np.array([[7.5, 4.5]]))
    assert turned[int(y), int(x)] == 255


def test_clockwise_orders_any_quad_from_the_top_left():
    square = np.array([[10, 0], [0, 10], [10, 10], [0, 0]], np.float32)
    assert clockwise(square).tolist() == [[0, 0], [10, 0], [10, 10], [0, 10]]


@pytest.mark.parametrize(
    ("quad", "rotation"),
    [
        ([[0, 0], [10, 0], [10, 5], [0, 5]], 0),
        ([[5, 0], [5, 10], [0, 10], [0, 0]], 270),  # content top runs downwards
        ([[10, 5], [0, 5], [0, 0], [10, 0]], 180),
        ([[0, 10], [0, 0], [5, 0], [5, 10]], 90),
        ([[0, 0], [10, 1], [10, 6], [0, 5]], 0),  # a slight tilt is still level
    ],
)
def test_rotation_of_an_upright_ordered_quad(quad, rotation):
    assert rotation_of(np.array(quad, np.float64)) == rotation


def test_span_cuts_a_line_quad_between_fractions_of_its_width():
    line = np.array([[0, 0], [100, 0], [100, 10], [0, 10]], np.float64)
    assert span(line, 0.25, 0.5).tolist() == [[25, 0], [50, 0], [50, 10], [25, 10]]
