"""Drives the console in headless Chromium as a team member would, and prints one JSON object: what it saw,
and `failures`, a list of what was wrong (empty when the console works).

Usage: console_browser.py BASE_URL ACCESS_TOKEN EMAIL PASSWORD [SCREENSHOT_DIR]

The account (EMAIL, PASSWORD; ACCESS_TOKEN is one of its sessions, for setting up through the API) has a
few contacts already, one of them named like a script. It checks:
- `/` shows the first-run page, and the first Tab reaches the skip link;
- signing in by keyboard lands on the page asked for before (`next`), the contacts;
- a CSV file imported from its page fills the progress bar to 100% and then shows the counts and the rows
  not imported, with their lines;
- adding a contact through the form opens its page; a search typed letter by letter shows only the
  matches, without a page load, and the address follows the search; a contact named like markup shows as
  text and runs nothing;
- a change without the session's CSRF token is refused: the console's form (403), the API with the
  session cookie (403, `csrf_token_invalid`), and another site's auto-submitting form (nothing created);
  the same API call with the page's token succeeds;
- the messages page draws the day's sends, and a failed message's Retry sends it again;
- the workspace switcher shows another workspace's (empty) contacts, and back;
- signing out ends the session: a page then asks to sign in again;
- axe-core finds no serious or critical WCAG 2.1 A/AA violation on any page, and each page is
  photographed at a phone's width and a desktop's (SCREENSHOT_DIR).
"""
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.parse

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

import console_pages
from console_pages import DESKTOP, fetch, look, text
from headless import chromium, serve

run, email, password = console_pages.command_line(sys.argv)
base, failures, seen = run.base, run.failures, run.seen
check, api, wait = run.check, run.api, run.wait


def contact_names(query):
    found = api("GET", "/contacts?" + urllib.parse.urlencode({"q": query}))
    return [item["name"] for item in found["data"]]


driver = chromium()
driver.set_window_size(*DESKTOP)
try:
    # The first-run page, and the keyboard's first stop.
    driver.get(base + "/")
    check("Ozzi Edge is running" in text(driver, "h1"), "the first-run page's heading is missing at /")
    check("/api/v1" in driver.page_source, "the first-run page does not say where the API is")
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    check(driver.switch_to.active_element.text == "Skip to content", "the first Tab does not reach the skip link")
    look(run, driver, "first-run")

    # A page asked for before signing in comes back after it.
    driver.get(base + "/console/contacts?q=")
    check("/console/signin" in driver.current_url, "a signed-out visitor is not sent to sign in: " + driver.current_url)
    look(run, driver, "sign-in")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys("not the password", Keys.ENTER)
    wait(driver, lambda d: "wrong" in text(d, "[role=alert]"), "the wrong password's message")
    driver.find_element(By.ID, "password").send_keys(password, Keys.ENTER)
    wait(driver, lambda d: d.current_url.startswith(base + "/console/contacts") and text(d, "h1") == "Contacts", "the contacts page after signing in")
    seen["signed_in_at"] = driver.current_url.replace(base, "")
    check(driver.find_elements(By.CSS_SELECTOR, "nav a[aria-current=page]") != [], "the navigation does not mark the current section")
    look(run, driver, "contacts")

    # Markup in a name is text.
    check("<img src=x onerror=" in driver.find_element(By.ID, "contact-results").text, "a contact named like markup is not shown as text")
    check(driver.execute_script("return window.__pwned === undefined"), "a contact's name ran as script")

    # Add a contact through the form.
    driver.find_element(By.ID, "new-name").send_keys("Grace Hopper")
    driver.find_element(By.ID, "new-phone").send_keys("+1 415 555 0142")
    driver.find_element(By.ID, "new-email").send_keys("grace@example.com", Keys.ENTER)
    wait(driver, lambda d: "/console/contacts/con_" in d.current_url and text(d, "h1") == "Grace Hopper", "the new contact's page")
    seen["added"] = driver.current_url.rsplit("/", 1)[-1]
    check("+14155550142" in driver.page_source, "the contact's page does not show the phone as stored")
    look(run, driver, "contact")

    # The same again is refused with the reason, on the same page.
    driver.get(base + "/console/contacts")
    driver.find_element(By.ID, "new-name").send_keys("Grace again")
    driver.find_element(By.ID, "new-phone").send_keys("+1 415 555 0142", Keys.ENTER)
    wait(driver, lambda d: text(d, "#add-contact ~ [role=alert], .error") != "", "the duplicate's message")
    seen["duplicate_message"] = text(driver, ".error")

    # Search as you type: no page load, only matches, the address follows.
    driver.get(base + "/console/contacts")
    driver.execute_script("window.__samePage = true")
    box = driver.find_element(By.ID, "contact-q")
    for letter in "hopp":
        box.send_keys(letter)
        time.sleep(0.05)
    wait(driver, lambda d: [a.text for a in d.find_elements(By.CSS_SELECTOR, "#contact-results tbody a")] == ["Grace Hopper"],
         "the search for 'hopp' to show only Grace Hopper")
    check(driver.execute_script("return window.__samePage === true"), "searching loaded a new page")
    wait(driver, lambda d: "q=hopp" in d.current_url, "the address to follow the search")
    seen["search_url"] = driver.current_url.replace(base, "")
    box.send_keys(Keys.BACKSPACE * 4)
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#contact-results tbody tr")) >= 4, "clearing the search to show every contact")

    # A CSV import: the file goes up, the bar follows the live stream to 100%, then the per-row report.
    lines = ["name,phone,email"] + [f"Imported {i},+1415556{i:04d}," for i in range(1, 2501)] + ["No address,,", "Short phone,12,"]
    folder = tempfile.mkdtemp()
    csv_path = os.path.join(folder, "contacts.csv")
    with open(csv_path, "w", encoding="utf-8") as file:
        file.write("\n".join(lines) + "\n")
    driver.get(base + "/console/contacts/import")
    look(run, driver, "import")
    driver.find_element(By.ID, "import-file").send_keys(csv_path)
    driver.find_element(By.XPATH, "//button[normalize-space()='Import']").click()
    wait(driver, lambda d: "/console/contacts/imports/" in d.current_url, "the import's report page")
    wait(driver, lambda d: d.execute_script("var bar = document.getElementById('import-bar'); return !!bar && bar.hasAttribute('value') && bar.value === 100"),
         "the progress bar at 100%", seconds=120)
    wait(driver, lambda d: "Done: 2502 rows read" in text(d, "#import-state"), "the import's end")
    seen["import"] = {name: text(driver, f"[data-count={name}]") for name in ("created", "skipped", "rejected")}
    check(seen["import"] == {"created": "2500", "skipped": "0", "rejected": "2"}, f"the import's counts: {seen['import']}")
    report_rows = [row.text for row in driver.find_elements(By.CSS_SELECTOR, "#rejected-rows ~ table tbody tr")]
    check(len(report_rows) == 2 and report_rows[0].startswith("2502") and report_rows[1].startswith("2503"), f"the rows not imported: {report_rows}")
    look(run, driver, "import-report")
    shutil.rmtree(folder, ignore_errors=True)

    # CSRF: the console's form, the API with the cookie, another site's form.
    token = driver.find_element(By.CSS_SELECTOR, "meta[name=csrf-token]").get_attribute("content")
    form = "name=Forged+One&phone=%2B14155550190&_csrf=forged"
    status, _ = fetch(driver, "/console/contacts", "POST", form, {"content-type": "application/x-www-form-urlencoded", "accept": "text/html"})
    check(status == 403, f"the console's form without its token answered {status}, not 403")
    status, body = fetch(driver, "/api/v1/contacts", "POST", json.dumps({"name": "Forged Two", "phone": "+14155550191"}),
                         {"content-type": "application/json"})
    check(status == 403 and "csrf_token_invalid" in body, f"the API with the cookie and no token answered {status} {body[:120]}")
    status, body = fetch(driver, "/api/v1/contacts", "POST", json.dumps({"name": "Token Three", "phone": "+14155550192"}),
                         {"content-type": "application/json", "x-csrf-token": token})
    check(status == 201, f"the API with the cookie and the page's token answered {status} {body[:120]}")
    pages = {"/attack": f"""<!doctype html><html><head><title>Win a prize</title></head><body>
        <form id="f" method="post" action="{base}/console/contacts"><input name="name" value="Forged Four">
        <input name="phone" value="+14155550193"></form><script>document.getElementById("f").submit();</script></body></html>"""}
    site = serve(pages)
    driver.get(f"http://localhost:{site.server_address[1]}/attack")
    wait(driver, lambda d: d.current_url.startswith(base), "the other site's form to post")
    seen["other_site_status"] = text(driver, "h1")
    site.shutdown()
    created = contact_names("forged")
    check(created == [], f"a forged change created contacts: {created}")
    check(contact_names("token three") == ["Token Three"], "the API call with the page's token created nothing")

    # The workspace switcher.
    other = api("POST", "/workspaces", {"name": "Second shop"})
    driver.get(base + "/console/contacts")
    Select(driver.find_element(By.ID, "workspace-switch")).select_by_value(other["id"])
    wait(driver, lambda d: d.find_element(By.ID, "workspace-switch").get_attribute("value") == other["id"], "the switch to the second workspace")
    wait(driver, lambda d: "No contacts yet" in text(d, "#contact-results"), "the second workspace's empty contact list")
    look(run, driver, "contacts-empty")
    back = [o.get_attribute("value") for o in driver.find_elements(By.CSS_SELECTOR, "#workspace-switch option") if o.get_attribute("value") != other["id"]]
    Select(driver.find_element(By.ID, "workspace-switch")).select_by_value(back[0])
    wait(driver, lambda d: d.find_element(By.ID, "workspace-switch").get_attribute("value") != other["id"], "the switch back")
    wait(driver, lambda d: "Grace Hopper" in text(d, "#contact-results"), "the first workspace's contacts again")

    # Messages: the day's chart, and the failed one sent again from its row.
    driver.get(base + "/console/messages")
    check(driver.find_elements(By.CSS_SELECTOR, "figure.chart svg rect") != [], "the messages page draws no bar for today's sends")
    look(run, driver, "messages")
    retry = driver.find_elements(By.XPATH, "//button[normalize-space()='Retry']")
    check(len(retry) == 1, f"{len(retry)} Retry buttons, expected the failed message's one")
    if retry:
        retry[0].click()
        wait(driver, lambda d: "is being sent again" in text(d, ".notice"), "the retry's notice")

    # Sign out.
    driver.find_element(By.XPATH, "//button[normalize-space()='Sign out']").click()
    wait(driver, lambda d: "/console/signin" in d.current_url, "the sign-in page after signing out")
    driver.get(base + "/console/contacts")
    check("/console/signin" in driver.current_url, "the console still opens after signing out")
    seen["signed_out"] = True
except Exception as error:  # what broke the run is a failure like the others, reported with the page it was on
    failures.append(f"stopped at {driver.current_url}: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")
    seen["last_page"] = driver.find_element(By.TAG_NAME, "body").text[:500]
finally:
    driver.quit()
run.report()
