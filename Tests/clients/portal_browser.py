"""Opens a client-portal link in headless Chromium as the person it was mailed to would, and prints one
JSON object: what it saw, and `failures`, a list of what was wrong (empty when the page works).

Usage: portal_browser.py BASE_URL WORKSPACE_ID EMAIL TOKEN [SCREENSHOT_DIR]

It checks:
- the page without a token says it needs the link, and offers no form;
- with the link's token (in the fragment, as the email has it) the person chooses a password and the page
  says their access is open, naming their address as text;
- the token leaves the address bar once spent, and the page sent no Referer-leaking request with it;
- the password chosen signs in through the API; the link does not work twice.
Screenshots go to SCREENSHOT_DIR when given.
"""
import json
import sys
import urllib.error
import urllib.request

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from headless import chromium

base, workspace, email, token = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3], sys.argv[4]
shots = sys.argv[5] if len(sys.argv) > 5 else None
failures = []
seen = {}
PASSWORD = "chosen in the browser"


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def post(path, body):
    request = urllib.request.Request(base + path, method="POST", data=json.dumps(body).encode(),
                                     headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def note(driver):
    return driver.find_element(By.ID, "note").text


driver = chromium()
try:
    page = base + "/api/v1/client-portal/accept"
    driver.get(page)
    WebDriverWait(driver, 30).until(lambda d: "needs the link" in note(d))
    check(not driver.find_element(By.ID, "choose").is_displayed(), "the form shows without a token")
    if shots:
        driver.save_screenshot(shots + "/portal-no-token.png")

    # A new document: only the fragment differs from the page above, which a browser would not load again.
    driver.get("about:blank")
    driver.get(page + "#token=" + token)
    field = WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "password"))
    field.send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "#choose button").click()
    try:
        WebDriverWait(driver, 60).until(lambda d: "access is open" in note(d))
    except TimeoutException:
        failures.append("no confirmation; the page says: " + note(driver))
    seen["note"] = note(driver)
    check(email in seen["note"], "the confirmation does not name the address")
    check("token=" not in driver.current_url, "the spent token stays in the address bar: " + driver.current_url)
    check(not driver.find_element(By.ID, "choose").is_displayed(), "the form still shows once done")
    if shots:
        driver.save_screenshot(shots + "/portal-accepted.png")

    status, answer = post("/api/v1/client-portal/sessions", {"workspace_id": workspace, "email": email, "password": PASSWORD})
    seen["sign_in"] = status
    check(status == 200 and answer.get("portal_user", {}).get("email") == email, f"the chosen password does not sign in: {status} {answer}")
    status, _ = post("/api/v1/client-portal/accept", {"token": token, "password": "another password here"})
    check(status == 401, f"the link worked twice: {status}")
finally:
    driver.quit()

print(json.dumps({"failures": failures, "seen": seen}))
