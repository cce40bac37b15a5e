"""What the console's browser tests share: the accessibility check and photographs of a page, reading text,
a request made by the page's own script, and signing in through the form by keyboard."""
import time

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import axe
from headless import Run

PHONE, DESKTOP = (390, 844), (1280, 900)


def command_line(argv):
    """BASE_URL ACCESS_TOKEN EMAIL PASSWORD [SCREENSHOT_DIR]: the run, and the account's email and password."""
    return Run(argv[:3] + argv[5:]), argv[3], argv[4]


def look(run, driver, name):
    """The page's accessibility check (axe-core, WCAG 2.1 A/AA), and its photographs at both widths."""
    for problem in axe.violations(driver):
        run.failures.append(f"{name}: {problem}")
    run.seen.setdefault("checked_pages", []).append(name)
    if run.shots:
        for label, (width, height) in (("phone", PHONE), ("desktop", DESKTOP)):
            driver.set_window_size(width, height)
            time.sleep(0.2)
            run.shot(driver, f"console-{name}-{label}")
        driver.set_window_size(*DESKTOP)


def text(driver, css):
    """The first match's text. A live part may be replaced between finding an element and reading it: then it
    is found again."""
    for _ in range(10):
        found = driver.find_elements(By.CSS_SELECTOR, css)
        try:
            return found[0].text if found else ""
        except StaleElementReferenceException:
            continue
    return ""


def fetch(driver, path, method, body, headers):
    """A request made by script from the page, with its cookies: (status, body text)."""
    return driver.execute_async_script("""
        var done = arguments[arguments.length - 1];
        fetch(arguments[0], {method: arguments[1], body: arguments[2], headers: arguments[3], credentials: "same-origin"})
          .then(function (r) { return r.text().then(function (t) { done([r.status, t]); }); }, function (e) { done([0, String(e)]); });
        """, path, method, body, headers)


def sign_in(run, driver, email, password, path, heading):
    """Opens `path` signed out, signs in on the page it is sent to, and waits to be back on `path`."""
    driver.get(run.base + path)
    run.check("/console/signin" in driver.current_url, "a signed-out visitor is not sent to sign in: " + driver.current_url)
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(password, Keys.ENTER)
    run.wait(driver, lambda d: d.current_url.startswith(run.base + path.split("?")[0]) and text(d, "h1") == heading, f"the {heading} page after signing in")
