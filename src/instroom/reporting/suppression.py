"""Small-count suppression for anything that leaves the service point (pure Python, no database).

A table of counts is published with its row totals, column totals and grand total. Counts from
1 to 4 are hidden ("<5", primary suppression). Hiding one cell is not enough when the totals are
published: the reader subtracts the others. So more cells are hidden (secondary suppression) until
no hidden value can be recomputed from what is published.

Why the check below is exact: write the table with its totals as an (R+1) × (C+1) grid. Every
cell takes part in two equations, its row's and its column's; with the totals' signs flipped these
are "the edges at each node sum to zero" of a bipartite graph (rows and columns as nodes, cells as
edges). The unknowns are the hidden cells, and one of them is fixed by the published figures
exactly when its edge is a bridge of the graph of hidden cells (lies on no cycle). So we hide more
cells until no hidden cell is a bridge; each repair closes a rectangle through the bridge, picking
the rectangle that hides the least.
"""

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5
# A count hidden only so that a small one cannot be worked out (it may be 0 or 5 or more).
SECONDARY = "x"

Cell = tuple[int, int]


@dataclass(frozen=True)
class Protected:
    """A table with its totals as published: `value(i, j)` for i ≤ rows, j ≤ columns, where
    index `rows` is the total row and `columns` the total column."""

    grid: tuple[tuple[int, ...], ...]  # (rows + 1) × (columns + 1), totals last
    hidden: frozenset[Cell]
    threshold: int = THRESHOLD

    @property
    def rows(self) -> int:
        return len(self.grid) - 1

    @property
    def columns(self) -> int:
        return len(self.grid[0]) - 1

    def is_hidden(self, i: int, j: int) -> bool:
        return (i, j) in self.hidden

    def is_small(self, i: int, j: int) -> bool:
        return 0 < self.grid[i][j] < self.threshold

    def shown(self, i: int, j: int) -> str:
        """The count, "<5" for a small one, "x" for one hidden to protect a small one."""
        if (i, j) not in self.hidden:
            return str(self.grid[i][j])
        return f"<{self.threshold}" if self.is_small(i, j) else SECONDARY

    def published(self, i: int, j: int) -> int | None:
        """The value, or None where it is hidden."""
        return None if (i, j) in self.hidden else self.grid[i][j]


def with_totals(table: Sequence[Sequence[int]]) -> tuple[tuple[int, ...], ...]:
    if not table or not table[0]:
        raise ValueError("a table needs at least one row and one column")
    width = len(table[0])
    if any(len(row) != width for row in table):
        raise ValueError("every row needs the same number of columns")
    if any(v < 0 for row in table for v in row):
        raise ValueError("counts cannot be negative")
    rows = [(*row, sum(row)) for row in table]
    totals = tuple(sum(row[j] for row in rows) for j in range(width + 1))
    return (*(tuple(r) for r in rows), totals)


def _bridges(cells: frozenset[Cell], rows: int, columns: int) -> list[Cell]:
    """Hidden cells on no cycle of the bipartite graph rows–columns (Tarjan, iterative)."""
    adjacency: dict[tuple[str, int], list[tuple[tuple[str, int], Cell]]] = {}
    for i, j in cells:
        adjacency.setdefault(("r", i), []).append((("c", j), (i, j)))
        adjacency.setdefault(("c", j), []).append((("r", i), (i, j)))
    order: dict[tuple[str, int], int] = {}
    low: dict[tuple[str, int], int] = {}
    found: list[Cell] = []
    counter = 0
    for start in sorted(adjacency):
        if start in order:
            continue
        order[start] = low[start] = counter
        counter += 1
        stack: list[tuple[tuple[str, int], Cell | None, int]] = [(start, None, 0)]
        while stack:
            node, via, index = stack[-1]
            edges = adjacency[node]
            if index < len(edges):
                stack[-1] = (node, via, index + 1)
                nxt, edge = edges[index]
                if edge == via:
                    continue
                if nxt in order:
                    low[node] = min(low[node], order[nxt])
                else:
                    order[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append((nxt, edge, 0))
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent] and via is not None:
                        found.append(via)
    return sorted(found)


def _protect_lines(
    grid: tuple[tuple[int, ...], ...], hidden: set[Cell], lines: list[list[Cell]]
) -> None:
    """Independent lines (only row totals, or only column totals, are published): a line must
    not hold exactly one hidden entry; if it does, hide its smallest other entry."""
    for line in lines:
        if sum(c in hidden for c in line) == 1:
            partner = min((c for c in line if c not in hidden), key=lambda c: (grid[c[0]][c[1]], c))
            hidden.add(partner)


def protect(
    table: Sequence[Sequence[int]],
    threshold: int = THRESHOLD,
    *,
    row_totals: bool = True,
    column_totals: bool = True,
) -> Protected:
    """Hide the counts 1 to threshold-1 and as few others as this greedy rule finds, so that
    no hidden value follows from the published cells and totals. Zero is published (nobody is
    in it). Deterministic: the same table always hides the same cells. Without `row_totals`
    (or `column_totals`) those totals are not published and are not in the equations; the
    caller must not show them."""
    grid = with_totals(table)
    rows, columns = len(grid) - 1, len(grid[0]) - 1
    hidden = {
        (i, j)
        for i in range(rows + (1 if column_totals else 0))
        for j in range(columns + (1 if row_totals else 0))
        if 0 < grid[i][j] < threshold
    }
    if not (row_totals and column_totals):
        if row_totals:
            lines = [[(i, j) for j in range(columns + 1)] for i in range(rows)]
        elif column_totals:
            lines = [[(i, j) for i in range(rows + 1)] for j in range(columns)]
        else:
            lines = []
        _protect_lines(grid, hidden, lines)
        return Protected(grid, frozenset(hidden), threshold)
    while True:
        bridges = _bridges(frozenset(hidden), rows, columns)
        if not bridges:
            return Protected(grid, frozenset(hidden), threshold)
        i, j = bridges[0]
        # Close a rectangle i–j–i2–j2 through the bridge: prefer cells already hidden, then
        # the smallest sum newly hidden, then the first in reading order.
        best: tuple[int, int, int, int] | None = None
        for i2 in range(rows + 1):
            if i2 == i:
                continue
            for j2 in range(columns + 1):
                if j2 == j:
                    continue
                extra = [c for c in ((i, j2), (i2, j), (i2, j2)) if c not in hidden]
                key = (sum(grid[a][b] for a, b in extra), len(extra), i2, j2)
                if best is None or key < best:
                    best = key
        if best is None:
            # A 1 × 1 table with its totals: everything is the same number.
            hidden |= {(a, b) for a in range(rows + 1) for b in range(columns + 1)}
            return Protected(grid, frozenset(hidden), threshold)
        _, _, i2, j2 = best
        hidden |= {(i, j2), (i2, j), (i2, j2)}


def protect_vector(values: Sequence[int], threshold: int = THRESHOLD) -> Protected:
    """A list of counts with its total (one row of a table)."""
    return protect([list(values)], threshold)


def suppress(count: int, threshold: int = THRESHOLD) -> str:
    """One count on its own (no totals beside it): "<5" for 1 to 4."""
    return f"<{threshold}" if 0 < count < threshold else str(count)
