"""Debian's headless Chromium through chromedriver, as the browser tests drive it (selenium from PyPI), and
what every browser test shares: its command line and report (`Run`), and the customer's site (`serve`)."""
import json
import os
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.support.ui import WebDriverWait
from selenium.webdriver.chrome.service import Service


def chromium():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    # A container has no user namespaces for the sandbox and a small /dev/shm; the rest keeps Chromium
    # from reaching for Google's services, since nothing may leave this machine.
    for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--disable-extensions", "--no-first-run", "--no-default-browser-check",
                 "--disable-domain-reliability", "--disable-features=Translate,OptimizationHints,MediaRouter"]:
        options.add_argument(flag)
    # The console, warnings included, is read back by the tests.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    # A script waits for the page's main thread. WebDriver's default bound (30 s) was once passed by a page
    # busy drawing its document on two cores shared with a whole test run; selenium raises that as the same
    # TimeoutException a wait does, so a page that had in fact rendered was reported as never rendering.
    driver.set_script_timeout(300)
    return driver


class Run:
    """A browser test's command line (BASE_URL ACCESS_TOKEN [SCREENSHOT_DIR]) and its report: what it saw,
    and `failures`, what was wrong, printed as one JSON object at the end."""

    def __init__(self, argv):
        self.base = argv[1].rstrip("/")
        self.token = argv[2]
        self.shots = argv[3] if len(argv) > 3 else None
        self.failures = []
        self.seen = {}

    def check(self, condition, message):
        if not condition:
            self.failures.append(message)
        return condition

    def api(self, method, path, body=None):
        """A call to the api as the workspace's owner; its JSON answer. The bound is for a hang, not speed: a
        PostgreSQL run with the whole suite beside it once took over 30 s to answer the first call."""
        request = urllib.request.Request(self.base + "/api/v1" + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                         headers={"authorization": "Bearer " + self.token, "content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as answer:
            return json.load(answer) if answer.status != 204 else None

    def wait(self, driver, predicate, what, seconds=30):
        """What `predicate` answers once it is truthy; a failure naming `what` when it never is."""
        try:
            # A page that replaces part of itself (a live search's results) may do so while the predicate reads it:
            # that look is simply repeated.
            return WebDriverWait(driver, seconds, poll_frequency=0.1, ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: predicate(d))
        except TimeoutException:
            self.failures.append("timed out waiting for " + what)
            return None

    def shot(self, driver, name):
        if self.shots:
            driver.save_screenshot(os.path.join(self.shots, name + ".png"))

    def report(self):
        print(json.dumps({"seen": self.seen, "failures": self.failures}))


def serve(pages):
    """The customer's site: `pages` (path -> HTML, filled in as the test goes) on http://127.0.0.1:PORT, an
    origin other than the host's. Answers the server; its port is `server_address[1]`."""

    class Site(BaseHTTPRequestHandler):
        def do_GET(self):
            page = pages.get(self.path.split("?")[0])
            if page is None:
                self.send_response(404)
                self.end_headers()
                return
            body = page.encode()
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
