"""Where each step of a diagram goes: a layered layout, top-down, one layer per BFS depth from the entry.

Only geometry (boxes, edge paths, label points), no drawing: the HTML reporter
turns it into SVG. Within a layer, steps sit under the steps that lead to
them (a single barycentre pass), which keeps most arrows short and uncrossed.
"""

from __future__ import annotations

from dataclasses import dataclass

from linter.audit.graph import GraphEdge, GraphNode

BOX_HEIGHT = 50
LAYER_GAP = 80  # vertical room between layers, for the edge labels
BOX_GAP = 36
MARGIN = 24
TOP = 44  # room for the start marker above the entry step
LANE_GAP = 14  # between the lanes of arrows that go back up, right of the boxes
MAX_LANES = 16  # more arrows back up share lanes
MAX_ROW = 6  # boxes side by side before a layer wraps
NAME_CHAR = 7.8  # average widths at the diagram's font sizes (13px bold names, 11px summaries)
SUMMARY_CHAR = 6.1
MIN_WIDTH, MAX_WIDTH = 112, 232


@dataclass
class Box:
    node: GraphNode
    x: float  # top-left corner
    y: float
    width: float
    height: float = BOX_HEIGHT

    @property
    def center(self) -> float:
        return self.x + self.width / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def right(self) -> float:
        return self.x + self.width


@dataclass
class Route:
    edge: GraphEdge  # the first of the edges it draws
    label: str  # the labels of every edge it draws (two answers that lead to one step are one arrow)
    dashed: bool  # every edge it draws is taken when nobody answers or the answer is unexpected
    path: str  # SVG path data
    label_x: float
    label_y: float
    back: bool  # goes up or sideways (a loop, a jump back)


@dataclass
class Layout:
    width: float
    height: float
    boxes: list[Box]
    routes: list[Route]
    entry: Box | None

    def box(self, node_id: str) -> Box:
        return next(box for box in self.boxes if box.node.id == node_id)


def box_width(node: GraphNode) -> float:
    wanted = max(len(node.name) * NAME_CHAR, len(node.summary) * SUMMARY_CHAR) + 28
    return max(MIN_WIDTH, min(MAX_WIDTH, wanted))


def layered_layout(nodes: list[GraphNode], edges: list[GraphEdge]) -> Layout:
    # A layer wider than a page wraps onto more rows: a big export's 40 intents stay readable.
    layers = [layer[start:start + MAX_ROW] for layer in _layers(nodes, edges)
              for start in range(0, len(layer), MAX_ROW)]
    widest = max((sum(box_width(n) for n in layer) + BOX_GAP * (len(layer) - 1) for layer in layers), default=0)
    boxes: dict[str, Box] = {}
    for depth, layer in enumerate(layers):
        row = sum(box_width(n) for n in layer) + BOX_GAP * (len(layer) - 1)
        x = MARGIN + (widest - row) / 2
        for node in layer:
            boxes[node.id] = Box(node, x, TOP + depth * (BOX_HEIGHT + LAYER_GAP), box_width(node))
            x += boxes[node.id].width + BOX_GAP
    routes = _routes(boxes, edges, MARGIN + widest)
    lanes = min(MAX_LANES, sum(1 for route in routes if boxes[route.edge.target].y < boxes[route.edge.source].y))
    loops = any(route.edge.source == route.edge.target for route in routes)
    width = MARGIN * 2 + widest + max(LANE_GAP * lanes, 40 if loops else 0)
    height = TOP + len(layers) * (BOX_HEIGHT + LAYER_GAP) - LAYER_GAP + MARGIN
    entry = next((box for box in boxes.values() if box.node.entry), None)
    return Layout(width, height, list(boxes.values()), routes, entry)


def _layers(nodes: list[GraphNode], edges: list[GraphEdge]) -> list[list[GraphNode]]:
    """Nodes by depth; nodes no edge from the entry reaches go in a last layer."""
    deepest = max((node.depth for node in nodes if node.depth is not None), default=-1)
    layers: list[list[GraphNode]] = [[] for _ in range(deepest + 1)]
    stray = [node for node in nodes if node.depth is None]
    for node in nodes:
        if node.depth is not None:
            layers[node.depth].append(node)
    if stray:
        layers.append(stray)
    parents: dict[str, list[str]] = {}
    for edge in edges:
        parents.setdefault(edge.target, []).append(edge.source)
    position: dict[str, float] = {}  # across its layer, 0 (left) to 1 (right)
    for layer in layers:
        order = {node.id: (index + 0.5) / len(layer) for index, node in enumerate(layer)}

        def barycentre(node: GraphNode) -> tuple[float, float]:
            above = [position[p] for p in parents.get(node.id, ()) if p in position]
            return (sum(above) / len(above) if above else order[node.id], order[node.id])

        layer.sort(key=barycentre)
        for index, node in enumerate(layer):
            position[node.id] = (index + 0.5) / len(layer)
    return layers


SILENT_KINDS = ("timeout", "unanswered", "otherwise")


def _routes(boxes: dict[str, Box], edges: list[GraphEdge], right: float) -> list[Route]:
    """Edges down one layer are curves; sideways edges run in the gap under their layer; edges up
    run in the gaps between layers and up a lane of their own right of every box. None crosses a box."""
    parallel: dict[tuple[str, str], list[GraphEdge]] = {}
    for edge in edges:
        parallel.setdefault((edge.source, edge.target), []).append(edge)
    forward: dict[str, list[GraphEdge]] = {}
    for (source, target), group in parallel.items():
        if boxes[target].y > boxes[source].y:
            forward.setdefault(source, []).append(group[0])
    routes = []
    lanes = 0
    under: dict[float, int] = {}  # sideways edges so far under each layer
    for group in parallel.values():
        edge = group[0]
        label = ", ".join(dict.fromkeys(e.label for e in group if e.label))
        dashed = all(e.kind in SILENT_KINDS for e in group)
        source, target = boxes[edge.source], boxes[edge.target]
        if target.y > source.y:
            siblings = forward[edge.source]
            share = source.width * 0.7 / len(siblings)
            x1 = source.x + source.width * 0.15 + share * (siblings.index(edge) + 0.5)
            y1, x2, y2 = source.bottom, target.center, target.y - 2
            bend = (y2 - y1) / 2
            path = f"M{x1:.1f},{y1:.1f} C{x1:.1f},{y1 + bend:.1f} {x2:.1f},{y2 - bend:.1f} {x2:.1f},{y2:.1f}"
            # The label sits nearer the target, where a question's answers have spread apart.
            t = 0.62
            label_x = (1 - t) ** 3 * x1 + 3 * (1 - t) ** 2 * t * x1 + 3 * (1 - t) * t ** 2 * x2 + t ** 3 * x2
            routes.append(Route(edge, label, dashed, path, label_x, y1 + (y2 - y1) * t, False))
        elif edge.source == edge.target:
            x, top, bottom = source.right, source.y + 14, source.bottom - 14
            path = (f"M{x:.1f},{bottom:.1f} C{x + 34:.1f},{bottom + 6:.1f} {x + 34:.1f},{top - 6:.1f} "
                    f"{x + 2:.1f},{top:.1f}")
            routes.append(Route(edge, label, dashed, path, x + 30, (top + bottom) / 2, True))
        elif target.y == source.y:
            rank = under.get(source.y, 0)
            under[source.y] = rank + 1
            depth = source.bottom + 12 + 11 * (rank % 3)
            x1 = source.x + source.width * (0.3 if target.x > source.x else 0.7)
            x2 = target.x + target.width * (0.7 if target.x > source.x else 0.3)
            path = _orthogonal([(x1, source.bottom), (x1, depth), (x2, depth), (x2, target.bottom + 2)])
            routes.append(Route(edge, label, dashed, path, x1 + (x2 - x1) * 0.35, depth - 3, True))
        else:
            lane = right + LANE_GAP * (lanes % MAX_LANES + 1)
            below = source.bottom + 12 + 5 * (lanes % 4)  # in the gap under the source
            above = target.y - 16 - 5 * (lanes % 4)  # in the gap over the target
            x1, x2 = source.x + source.width * 0.88, target.x + target.width * 0.7
            lanes += 1
            path = _orthogonal([(x1, source.bottom), (x1, below), (lane, below), (lane, above), (x2, above),
                                (x2, target.y - 2)])
            routes.append(Route(edge, label, dashed, path, (x1 + lane) / 2, below - 4, True))
    return routes


def _orthogonal(points: list[tuple[float, float]], radius: float = 7.0) -> str:
    """A path through `points` (each turn a right angle) with rounded corners."""
    parts = [f"M{points[0][0]:.1f},{points[0][1]:.1f}"]
    for (ax, ay), (bx, by), (cx, cy) in zip(points, points[1:], points[2:]):
        r = min(radius, abs(bx - ax) / 2 or radius, abs(by - ay) / 2 or radius,
                abs(cx - bx) / 2 or radius, abs(cy - by) / 2 or radius)
        before = (bx - r * _sign(bx - ax), by - r * _sign(by - ay))
        after = (bx + r * _sign(cx - bx), by + r * _sign(cy - by))
        parts.append(f"L{before[0]:.1f},{before[1]:.1f} Q{bx:.1f},{by:.1f} {after[0]:.1f},{after[1]:.1f}")
    parts.append(f"L{points[-1][0]:.1f},{points[-1][1]:.1f}")
    return " ".join(parts)


def _sign(value: float) -> int:
    return (value > 0) - (value < 0)
