"""Drives the API reference page (/api/v1/docs) in headless Chromium, as a reader would, and prints one
JSON object: what it saw, and `failures`, a list of what was wrong (empty when the page works).

Usage: docs_browser.py BASE_URL [SCREENSHOT.png]

Checks, against the live document the host serves: operations of several tags are listed; typing in the
search box hides exactly the operations that do not match; a deep link (#operation-...) opens and scrolls
to its operation; a request body's fields are drawn by name. Then it hands the page's renderer a richer
OpenAPI 3.1 document (nested objects, arrays, oneOf, enums, nullable, links, headers, examples, webhooks,
recursion, and hostile text) and checks how that is drawn and that no text became markup. Throughout:
no console error, no uncaught exception, no CSP violation, no request leaving the host.

Debian's chromium and chromium-driver, with selenium from PyPI (scripts/setup.sh installs them).
"""
import json
import sys
import urllib.request
from urllib.parse import urlparse

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from headless import chromium

base = sys.argv[1].rstrip("/")
screenshot = sys.argv[2] if len(sys.argv) > 2 else None
page = base + "/api/v1/docs"
failures = []
seen = {}


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def browser():
    driver = chromium()
    # Before any page script: record uncaught errors, rejections and CSP violations where the test can read them.
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": """
        window.__problems = [];
        addEventListener('error', e => __problems.push('error: ' + e.message), true);
        addEventListener('unhandledrejection', e => __problems.push('rejection: ' + String(e.reason)));
        document.addEventListener('securitypolicyviolation', e => __problems.push('csp: ' + e.violatedDirective + ' ' + e.blockedURI));
    """})
    return driver


# Waits are long: they only bound a hang (a page that fails says so at once, `#status.failed`), and a debug
# host on two cores busy with a whole test run has taken over 30 s to serve and render the document, and once
# (the PostgreSQL pass, beside video renders) over 180 s; `load` reports what the page had got to if it times out.
def wait(driver, predicate, what, seconds=420):
    try:
        return WebDriverWait(driver, seconds).until(lambda d: predicate(d))
    except TimeoutException:
        failures.append("timed out waiting for " + what)
        return None


def load(driver, url):
    driver.get("about:blank")
    driver.get(url)
    rendered = wait(driver, lambda d: d.execute_script(
        "return document.querySelectorAll('details.operation').length > 0 || "
        "!!document.querySelector('#status.failed')"), "the page to render " + url)
    if rendered is None:
        # What the page had got to: a rare CI run has timed out here with nothing failed on the page.
        failures.append("the page at the time-out: " + json.dumps(driver.execute_script("""
            const documentFetch = performance.getEntriesByType('resource').filter(e => e.name.includes('openapi'))
                .map(e => ({name: e.name, start: Math.round(e.startTime), end: Math.round(e.responseEnd), bytes: e.encodedBodySize}));
            return {ready: document.readyState, status: (document.getElementById('status') || {}).textContent || null,
                    operations: document.querySelectorAll('details.operation').length, fetches: documentFetch,
                    problems: window.__problems || [], now: Math.round(performance.now())};
        """)))
    return rendered


def collect_problems(driver, where):
    problems = driver.execute_script("return window.__problems || []")
    for entry in driver.get_log("browser"):
        if entry.get("level") in ("SEVERE", "WARNING"):
            problems.append(entry.get("level") + ": " + entry.get("message", ""))
    for problem in problems:
        failures.append(where + ": " + problem)
    origin = "{0.scheme}://{0.netloc}".format(urlparse(base))
    for name in driver.execute_script(
            "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).map(e => e.name)"):
        if not (name.startswith(origin + "/") or name == origin or name.startswith("about:")):
            failures.append(where + ": requested off-host " + name)


def deref(document, value):
    seen_refs = set()
    while isinstance(value, dict) and isinstance(value.get("$ref"), str) and value["$ref"].startswith("#/"):
        if value["$ref"] in seen_refs:
            return {}
        seen_refs.add(value["$ref"])
        node = document
        for token in value["$ref"][2:].split("/"):
            node = node.get(token.replace("~1", "/").replace("~0", "~"), {}) if isinstance(node, dict) else {}
        value = node
    return value if isinstance(value, dict) else {}


def field_names(document, schema, depth=0):
    """(name, depth) of every property a reader should see, following $ref, items and compositions."""
    schema = deref(document, schema)
    if depth > 3:
        return []
    names = []
    for name, child in (schema.get("properties") or {}).items():
        names.append((name, depth))
        names += field_names(document, child, depth + 1)
    if isinstance(schema.get("items"), dict):
        names += field_names(document, schema["items"], depth + 1)
    for keyword in ("oneOf", "anyOf", "allOf"):
        for variant in schema.get(keyword) or []:
            names += field_names(document, variant, depth + 1)
    return names


def operations_of(document):
    for path, item in (document.get("paths") or {}).items():
        for method in ("get", "put", "post", "delete", "options", "head", "patch", "trace"):
            operation = (item or {}).get(method)
            if isinstance(operation, dict):
                yield method, path, item, operation


def visible_operation_ids(driver):
    return driver.execute_script(
        "return [...document.querySelectorAll('details.operation')].filter(e => e.offsetParent !== null).map(e => e.id)")


def check_live(driver, document):
    operations = list(operations_of(document))
    ids = {"operation-" + op["operationId"]: (method, path, item, op) for method, path, item, op in operations if "operationId" in op}

    # A deep link, loaded fresh, opens its operation and brings it into view.
    listed = []
    if load(driver, page):
        listed = visible_operation_ids(driver)
    seen["operations_listed"] = len(listed)
    check(len(listed) == len(operations), "listed %d operations, the document has %d" % (len(listed), len(operations)))
    tags = driver.execute_script("return [...document.querySelectorAll('section.tag')].map(s => s.querySelector('h2').textContent)")
    seen["tags"] = tags
    check(len(tags) >= 3, "operations of only %d tags are listed" % len(tags))
    if listed:
        target = listed[len(listed) * 3 // 4]
        seen["deep_link"] = target
        load(driver, page + "#" + target)
        state = driver.execute_script("""
            const e = document.getElementById(arguments[0]);
            const r = e.getBoundingClientRect();
            return {open: e.open, top: r.top, height: innerHeight, scrolled: scrollY};""", target)
        check(state["open"], "the deep-linked operation %s is not open" % target)
        check(state["scrolled"] > 0 and -2 <= state["top"] < state["height"] - 40,
              "the deep-linked operation is not scrolled into view: %r" % state)

        # Following a link of the table of contents opens that operation too.
        other = listed[1]
        driver.find_element(By.CSS_SELECTOR, "#toc a[href='#%s']" % other).click()
        check(wait(driver, lambda d: d.execute_script("return document.getElementById(arguments[0]).open", other),
                   "a table-of-contents link to open " + other), "a table-of-contents link did not open " + other)

    # Searching hides exactly the operations whose method, path, summary, description, id or tags lack the term.
    search = driver.find_element(By.ID, "search")
    search.send_keys("contacts")
    expected = sorted(i for i, (method, path, item, op) in ids.items()
                      if "contacts" in " ".join(str(x) for x in [method, path, op.get("summary", ""), op.get("description", ""),
                                                                  op.get("operationId", ""), item.get("summary", ""),
                                                                  " ".join(op.get("tags") or [])]).lower())
    shown = sorted(visible_operation_ids(driver))
    seen["search"] = {"term": "contacts", "shown": len(shown), "of": len(listed)}
    check(0 < len(shown) < len(listed), "searching 'contacts' shows %d of %d operations" % (len(shown), len(listed)))
    check(shown == expected, "searching 'contacts' shows %s, expected %s" % (shown, expected))
    toc_shown = driver.execute_script("return [...document.querySelectorAll('#toc li')].filter(e => e.offsetParent !== null).length")
    check(toc_shown == len(shown), "the table of contents shows %d entries for %d operations" % (toc_shown, len(shown)))
    search.send_keys(Keys.ESCAPE)
    check(len(visible_operation_ids(driver)) == len(listed), "clearing the search does not show every operation again")

    # The request body with the most nested fields is drawn with their names.
    bodies = []
    for i, (method, path, item, op) in ids.items():
        body = deref(document, op.get("requestBody"))
        media = (body.get("content") or {}).get("application/json")
        if isinstance(media, dict) and media.get("schema") is not None:
            names = field_names(document, media["schema"])
            if names:
                bodies.append((max(d for _, d in names), len(names), i, sorted({n for n, _ in names})))
    check(bodies, "no operation of the document has a JSON request body with fields")
    if bodies:
        depth, _, target, names = max(bodies)
        driver.find_element(By.CSS_SELECTOR, "[id='%s'] > summary" % target).click()
        drawn = driver.execute_script("""
            const parts = [...document.getElementById(arguments[0]).querySelectorAll('.part')];
            const body = parts.find(p => p.querySelector('h4').textContent.startsWith('Request body'));
            return body ? [...body.querySelectorAll('code.name')].filter(e => e.offsetParent !== null).map(e => e.textContent) : [];""",
                                      target)
        seen["request_body"] = {"operation": target, "nesting": depth, "fields": names}
        missing = sorted(set(names) - set(drawn))
        check(not missing, "the request body of %s lacks the fields %s" % (target, missing))
    collect_problems(driver, "live page")


# A document with what today's may not have yet; the title and a summary try to become markup.
HOSTILE = '<img src=x onerror="window.__xss=1">'
FIXTURE = {
    "openapi": "3.1.0",
    "info": {"title": "Pets " + HOSTILE, "version": "2.0", "description": "A `fixture` with\n\nsecond paragraph."},
    "tags": [{"name": "pets", "description": "Animals."}, {"name": "owners"}],
    "security": [{"token": []}],
    "paths": {
        "/pets": {
            "post": {
                "operationId": "createPet", "tags": ["pets"], "summary": "Add a pet </summary><script>window.__xss=2</script>",
                "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],
                "requestBody": {"$ref": "#/components/requestBodies/NewPet"},
                "responses": {
                    "201": {
                        "description": "Created",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"},
                                                         "examples": {"rex": {"summary": "A dog", "value": {"id": "p1", "name": "Rex"}}}}},
                        "links": {"GetPet": {"operationId": "getPet", "parameters": {"petId": "$response.body#/id"}}},
                    },
                    "429": {
                        "description": "Too many requests",
                        "headers": {"Retry-After": {"description": "Seconds to wait", "required": True,
                                                    "schema": {"type": "integer", "minimum": 1}}},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                    "default": {"$ref": "#/components/responses/Problem"},
                },
            },
        },
        "/pets/{petId}": {
            "parameters": [{"name": "petId", "in": "path", "required": True,
                            "schema": {"type": "string", "pattern": "^pet_[a-z0-9]+$", "maxLength": 40}}],
            "get": {
                "operationId": "getPet", "tags": ["pets", "owners"], "summary": "One pet", "security": [],
                "parameters": [{"name": "fields", "in": "query", "schema": {"type": "string", "enum": ["name", "kind"]}}],
                "responses": {"200": {"description": "The pet", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}},
            },
            "delete": {"tags": ["pets"]},
        },
    },
    "webhooks": {
        "petAdopted": {"post": {"operationId": "petAdopted", "summary": "A pet was adopted",
                                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
                                "responses": {"200": {"description": "Received"}}}},
    },
    "components": {
        "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        "parameters": {"IdempotencyKey": {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string", "minLength": 1, "maxLength": 255}}},
        "requestBodies": {"NewPet": {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/NewPet"},
            "example": {"name": "Rex", "owner": {"address": {"city": "Lyon"}}, "kind": {"kind": "dog", "barks": True}}}}}},
        "responses": {"Problem": {"description": "Something else", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
        "schemas": {
            "NewPet": {
                "type": "object", "required": ["name", "kind"],
                "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": 60, "description": "What it answers to"},
                    "born": {"type": ["string", "null"], "format": "date"},
                    "tags": {"type": "array", "items": {"type": "string", "enum": ["calm", "loud"]}, "uniqueItems": True},
                    "owner": {"type": "object", "anyOf": [{"required": ["address"]}, {"required": ["email"]}], "properties": {
                        "email": {"type": "string", "format": "email"},
                        "address": {"type": "object", "required": ["city"], "properties": {"city": {"type": "string"}, "zip": {"type": "string"}}}}},
                    "kind": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                             "discriminator": {"propertyName": "kind"}},
                },
            },
            "Pet": {"allOf": [{"$ref": "#/components/schemas/NewPet"},
                              {"type": "object", "properties": {"id": {"type": "string", "readOnly": True},
                                                                "parent": {"$ref": "#/components/schemas/Pet"}}}]},
            "Cat": {"title": "Cat", "type": "object", "properties": {"kind": {"const": "cat"}, "lives": {"type": "integer", "maximum": 9}}},
            "Dog": {"title": "Dog", "type": "object", "properties": {"kind": {"const": "dog"}, "barks": {"type": "boolean"}}},
            "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
                "code": {"type": "string"}, "message": {"type": "string"}}}}},
        },
    },
}


def check_fixture(driver):
    try:
        from openapi_spec_validator import validate
        validate(FIXTURE)
    except ImportError:
        pass
    count = driver.execute_script("return window.APIReference.render(arguments[0])", FIXTURE)
    check(count == 4, "the fixture rendered %r operations, not 4" % count)
    check(driver.execute_script("return window.__xss === undefined && document.querySelectorAll('img, main script').length === 0"),
          "text of the document became markup")
    check(driver.find_element(By.ID, "title").text == "Pets " + HOSTILE, "the title is not the document's text")
    check("</summary><script>" in driver.find_element(By.ID, "operation-createPet").text, "a summary lost its text")

    driver.find_element(By.CSS_SELECTOR, "[id='operation-createPet'] > summary").click()
    body = driver.execute_script("""
        const op = document.getElementById('operation-createPet');
        const part = [...op.querySelectorAll('.part')].find(p => p.querySelector('h4').textContent.startsWith('Request body'));
        return {names: [...part.querySelectorAll('code.name')].map(e => e.textContent), text: part.textContent,
                examples: [...part.querySelectorAll('figure.example pre')].map(e => e.textContent)};""")
    for name in ["name", "born", "tags", "owner", "address", "city", "zip", "kind", "lives", "barks"]:
        check(name in body["names"], "the fixture's request body lacks the field " + name)
    for fragment in ["string (date) | null", "Exactly one of", "Cat", "Dog", "calm", "required", "length ≤ 60", "unique items",
                     "Chosen by the property", "Any of", "needsaddress", "needsemail", "string (email)"]:
        check(fragment in body["text"], "the fixture's request body does not say " + repr(fragment))
    check(any('\n  "name": "Rex",\n' in example for example in body["examples"]), "the request example is not pretty JSON")

    text = driver.find_element(By.ID, "operation-createPet").get_attribute("textContent")
    for fragment in ["Idempotency-Key", "Retry-After", "Seconds to wait", "GetPet", "$response.body#/id", "429", "default",
                     "Recursive", "Requires", "token"]:
        check(fragment in text, "the fixture's operation does not show " + repr(fragment))
    link = driver.find_elements(By.CSS_SELECTOR, "[id='operation-createPet'] ul.links a")
    check(link and link[0].get_attribute("href").endswith("#operation-getPet"), "a link does not point at its operation")
    if link:
        link[0].click()
        check(wait(driver, lambda d: d.execute_script("return document.getElementById('operation-getPet').open"),
                   "a link to open getPet"), "following a link did not open its operation")
    get_pet = driver.find_element(By.ID, "operation-getPet").text
    for fragment in ["^pet_[a-z0-9]+$", "No authentication", "name", "kind"]:
        check(fragment in get_pet, "getPet does not show " + repr(fragment))
    check(driver.find_elements(By.ID, "operation-petAdopted"), "the webhook is not listed")
    check(driver.find_elements(By.ID, "schema-NewPet"), "the components do not list NewPet")

    # Documents with little in them, or references that lead nowhere, still render.
    for sparse in [{}, {"openapi": "3.1.0", "info": {"title": "Empty", "version": "0"}},
                   {"openapi": "3.1.0", "info": {}, "paths": {"/x": {"get": {"requestBody": {"$ref": "#/nowhere"},
                    "parameters": [{"$ref": "#/components/parameters/Gone"}, None], "responses": {"200": {"content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Gone"}}}}}}}}}]:
        driver.execute_script("window.APIReference.render(arguments[0])", sparse)
    check(driver.execute_script("return document.getElementById('operation-get-x') !== null"), "a sparse document lost its operation")
    collect_problems(driver, "fixture")


def main():
    with urllib.request.urlopen(base + "/api/v1/openapi.json", timeout=30) as answer:
        document = json.load(answer)
    driver = browser()
    try:
        check_live(driver, document)
        if screenshot:
            driver.find_element(By.CSS_SELECTOR, "#toc a").click()
            driver.save_screenshot(screenshot)
        load(driver, page)
        check_fixture(driver)
    finally:
        driver.quit()
    print(json.dumps({"seen": seen, "failures": failures}))


main()
