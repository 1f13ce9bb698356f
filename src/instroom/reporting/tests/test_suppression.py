"""Suppression of small counts: properties over random tables, with an independent oracle (the
rank of the published equations) for "can a hidden value be recomputed from the totals?"."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from instroom.reporting.suppression import THRESHOLD, protect, protect_vector, suppress

tables = st.integers(1, 4).flatmap(
    lambda rows: st.integers(1, 4).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(0, 12), min_size=cols, max_size=cols),
            min_size=rows,
            max_size=rows,
        )
    )
)


def recomputable(grid, hidden) -> set:
    """Hidden cells fixed by the published cells and totals: x_k is determined exactly when
    dropping its column lowers the rank of the equations over the hidden cells by one."""
    rows, cols = len(grid) - 1, len(grid[0]) - 1
    unknowns = sorted(hidden)
    equations = []
    for i in range(rows + 1):  # each row: its cells minus its total
        equations.append([(1 if j < cols else -1) if a == i else 0 for a, j in unknowns])
    for j in range(cols + 1):  # each column: its cells minus its total
        equations.append([(1 if i < rows else -1) if b == j else 0 for i, b in unknowns])
    matrix = np.array(equations, dtype=float)
    if not unknowns:
        return set()
    full = np.linalg.matrix_rank(matrix)
    fixed = set()
    for k, cell in enumerate(unknowns):
        if np.linalg.matrix_rank(np.delete(matrix, k, axis=1)) < full:
            fixed.add(cell)
    return fixed


@given(tables)
def test_no_hidden_value_can_be_recomputed_from_the_published_totals(table) -> None:
    result = protect(table)
    assert recomputable(result.grid, result.hidden) == set()


@given(tables)
def test_every_small_count_is_hidden_and_every_shown_value_is_true(table) -> None:
    result = protect(table)
    for i, row in enumerate(result.grid):
        for j, value in enumerate(row):
            shown = result.shown(i, j)
            if 0 < value < THRESHOLD:
                assert shown == "<5"
            elif result.is_hidden(i, j):
                assert shown == "x"  # hidden to protect another: never claims to be small
            else:
                assert shown == str(value) and (value == 0 or value >= THRESHOLD)


def test_a_worked_example_hides_a_second_cell_in_row_and_column() -> None:
    result = protect([[3, 10, 12], [8, 9, 20]])
    # 3 is hidden; its row total and column total are published, so a partner is hidden in
    # its row and in its column (and the fourth corner), the cheapest rectangle.
    assert result.shown(0, 0) == "<5" and result.shown(1, 1) == "x"
    assert result.is_hidden(0, 1) and result.is_hidden(1, 0) and result.is_hidden(1, 1)
    assert result.shown(0, 3) == "25" and result.shown(2, 3) == "62"
    assert not recomputable(result.grid, result.hidden)


def test_a_list_with_its_total() -> None:
    result = protect_vector([2, 40, 7])
    assert [result.shown(0, j) for j in range(4)] == ["<5", "40", "x", "49"]
    assert protect_vector([0, 40, 7]).hidden == frozenset()


def test_the_single_count() -> None:
    assert [suppress(n) for n in (0, 1, 4, 5)] == ["0", "<5", "<5", "5"]
    with pytest.raises(ValueError):
        protect([])


def recomputable_lines(grid, hidden, *, rows_only: bool) -> set:
    """The oracle with one kind of total published (rows_only: row totals, else column)."""
    rows, cols = len(grid) - 1, len(grid[0]) - 1
    unknowns = sorted(hidden)
    if not unknowns:
        return set()
    if rows_only:
        equations = [
            [(1 if j < cols else -1) if a == i else 0 for a, j in unknowns] for i in range(rows)
        ]
    else:
        equations = [
            [(1 if i < rows else -1) if b == j else 0 for i, b in unknowns] for j in range(cols)
        ]
    matrix = np.array(equations, dtype=float)
    full = np.linalg.matrix_rank(matrix)
    return {
        cell
        for k, cell in enumerate(unknowns)
        if np.linalg.matrix_rank(np.delete(matrix, k, axis=1)) < full
    }


@given(tables, st.booleans())
def test_with_one_kind_of_total_no_hidden_value_can_be_recomputed(table, rows_only) -> None:
    result = protect(table, row_totals=rows_only, column_totals=not rows_only)
    assert recomputable_lines(result.grid, result.hidden, rows_only=rows_only) == set()
    rows, cols = len(table), len(table[0])
    for i in range(rows):
        for j in range(cols):
            if 0 < table[i][j] < THRESHOLD:
                assert result.is_hidden(i, j)
