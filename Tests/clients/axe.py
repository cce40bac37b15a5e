"""axe-core (Deque's accessibility engine, as PyPI's axe-playwright-python ships it; installed without its
Playwright dependency by scripts/setup.sh) run inside the page a selenium driver shows."""
import importlib.util
import os

_SOURCE = None
# What an accessibility checker must accept: WCAG 2.1 A and AA.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _source():
    global _SOURCE
    if _SOURCE is None:
        spec = importlib.util.find_spec("axe_playwright_python")
        if spec is None or not spec.submodule_search_locations:
            raise RuntimeError("axe-core is missing: pip install --no-deps axe-playwright-python (scripts/setup.sh does)")
        with open(os.path.join(list(spec.submodule_search_locations)[0], "axe.min.js"), encoding="utf-8") as file:
            _SOURCE = file.read()
    return _SOURCE


def violations(driver, impacts=("serious", "critical")):
    """The page's WCAG violations of those impacts, as 'rule: target (summary)' lines."""
    driver.execute_script(_source())
    result = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(function (r) { done(r.violations); }, function (e) { done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]); });",
        TAGS)
    found = []
    for violation in result:
        if violation.get("impact") not in impacts:
            continue
        targets = ", ".join(" ".join(node.get("target", [])) for node in violation.get("nodes", [])[:3])
        found.append(f"{violation['id']} ({violation.get('impact')}): {violation.get('help')} at {targets}")
    return found
