"""The apps' modules import one another one way: no import cycle anywhere in app code.

grimp (import-linter's graph) sees function-local imports too, so a cycle hidden inside a
function fails here as well as in ruff's PLC0415.
"""

import grimp

APPS = ("portal", "partecipazione", "eventi", "home")


def import_cycles(graph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, groups = {}, {}, set(), [], []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def app_graph():
    graph = grimp.build_graph(*APPS, cache_dir=None)
    # A package's __init__ re-exporting its submodules (home.models) is not a cycle.
    for module in list(graph.modules):
        for child in graph.find_children(module):
            if graph.direct_import_exists(importer=module, imported=child):
                graph.remove_import(importer=module, imported=child)
    return graph


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for name in ("a", "a.models", "a.views", "a.forms"):
        graph.add_module(name)
    graph.add_import(importer="a.models", imported="a.views")
    graph.add_import(importer="a.views", imported="a.forms")
    graph.add_import(importer="a.forms", imported="a.models")
    assert import_cycles(graph) == [["a.forms", "a.models", "a.views"]]
    graph.remove_import(importer="a.models", imported="a.views")
    assert import_cycles(graph) == []


def test_app_code_has_no_import_cycle():
    assert import_cycles(app_graph()) == []
