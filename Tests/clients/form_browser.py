"""Drives an embedded form in headless Chromium as a customer's site and its visitor would, and prints one
JSON object: what it saw, and `failures`, a list of what was wrong (empty when the form works).

Usage: form_browser.py BASE_URL ACCESS_TOKEN [SCREENSHOT_DIR]

It serves the customer's page itself, from another origin than the host's (http://127.0.0.1:PORT), makes
two forms through the API allowing that origin (one for people, one whose minimum fill time no bot waits
out), and checks:
- the loader inserts the form's iframe where the page asks, and the page hears `ozzi-form:loaded`;
- a visitor using only the keyboard gets the page's errors, which are the words the server answers for the
  same input, and the iframe grows to show them;
- corrected and sent (by keyboard), the visitor sees the success message, the page hears
  `ozzi-form:submitted`, the contact exists with SMS consent recorded, the hidden field took the page's
  URL parameter, and the workflow's welcome SMS is scheduled;
- the same token sent again creates nothing;
- a bot that fills the honeypot, and one that sends within a second, see the same success message and
  create nothing;
- the page on an origin the form does not allow (http://localhost:PORT) gets no form, and an iframe made by
  hand is refused by the browser (CSP frame-ancestors).
Screenshots go to SCREENSHOT_DIR when given.
"""
import json
import sys
import urllib.error
import urllib.request

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from headless import Run, chromium, serve

run = Run(sys.argv)
base, token, shots, failures, seen = run.base, run.token, run.shots, run.failures, run.seen
check, api, wait, shot = run.check, run.api, run.wait, run.shot


def post(path, body, origin):
    """A POST to the form worker as a script would send it: (status, JSON answer)."""
    request = urllib.request.Request(base + "/forms" + path, method="POST", data=json.dumps(body).encode(),
                                     headers={"content-type": "application/json", "origin": origin})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


PAGES = {}


def page_with(key):
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Customer shop</title></head>
<body><h1>Join our list</h1><p>A page of the customer's site.</p>
<script>window.__events = [];
document.addEventListener("ozzi-form:loaded", function () {{ window.__events.push("loaded"); }});
document.addEventListener("ozzi-form:submitted", function () {{ window.__events.push("submitted"); }});</script>
<div data-ozzi-form="{key}"></div>
<script async src="{base}/forms/loader.js?key={key}"></script>
<p>Below the form.</p>
</body></html>"""


def frame_height(driver):
    driver.switch_to.default_content()
    return driver.execute_script("const f = document.querySelector('[data-ozzi-form] iframe'); return f ? f.getBoundingClientRect().height : 0")


def enter_frame(driver):
    driver.switch_to.default_content()
    driver.switch_to.frame(driver.execute_script("return document.querySelector('[data-ozzi-form] iframe')"))


def errors(driver):
    """The error texts the form shows, by field key."""
    return driver.execute_script("""
        const out = {};
        document.querySelectorAll('.error').forEach(e => { if (!e.hidden) out[e.id.slice(2, -6)] = e.textContent; });
        return out""")


def keys(driver, *sequence):
    ActionChains(driver).send_keys(*sequence).perform()


def retype(driver, text):
    """Replaces the focused field's text, as a person does: Ctrl+A, then typing."""
    ActionChains(driver).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).send_keys(text).perform()


def show_form(driver, allowed, key):
    """Loads the customer's page with the form and enters its iframe once it has said it loaded."""
    PAGES["/join"] = page_with(key)
    driver.get(allowed + "/join?campaign=spring&utm_source=news")
    wait(driver, lambda d: "loaded" in d.execute_script("return window.__events"), "the page to hear ozzi-form:loaded")
    enter_frame(driver)
    return json.loads(driver.execute_script("return document.getElementById('config').textContent"))


def main():
    site = serve(PAGES)
    port = site.server_address[1]
    allowed, refused = f"http://127.0.0.1:{port}", f"http://localhost:{port}"
    own = base  # the form page's own origin: what its script's submissions carry

    template = api("POST", "/templates", {"name": "Welcome", "body": "Welcome {{first_name|friend}}!"})
    fields = [
        {"key": "email", "type": "email", "label": "Email", "required": True, "maps_to": "email"},
        {"key": "first", "type": "text", "label": "First name", "min_length": 2, "maps_to": "first_name"},
        {"key": "phone", "type": "phone", "label": "Mobile", "maps_to": "phone", "help": "For the welcome text"},
        {"key": "texts", "type": "consent", "channel": "sms", "label": "Text me news. Reply STOP to stop."},
        {"key": "campaign", "type": "hidden"},
    ]
    form = api("POST", "/forms", {"name": "Join", "fields": fields, "workflow": [{"type": "send_sms", "template_id": template["id"]}],
                                  "settings": {"allowed_origins": [allowed], "spam": {"min_fill_seconds": 0}, "success_message": "Welcome aboard!"}})
    slow = api("POST", "/forms", {"name": "Patient", "fields": fields[:1],
                                  "settings": {"allowed_origins": [allowed], "spam": {"min_fill_seconds": 60}, "success_message": "Welcome aboard!"}})
    PAGES["/framed-by-hand.html"] = f"""<!doctype html><meta charset="utf-8"><title>Elsewhere</title>
<iframe src="{base}/forms/embed?key={form['public_key']}" onload="window.__frameLoaded = 1"></iframe>"""
    seen["loader_bytes"] = len(urllib.request.urlopen(base + "/forms/loader.js?key=" + form["public_key"], timeout=30).read())

    driver = chromium()
    try:
        config = show_form(driver, allowed, form["public_key"])
        check(config["token"].startswith("fst_"), "the page carries a submission token")
        before = frame_height(driver)
        seen["height_before"] = before

        # Keyboard only: Tab into the email field, type a bad address and a one-letter name, press Enter.
        enter_frame(driver)
        keys(driver, Keys.TAB)
        check(driver.execute_script("return document.activeElement.id") == "f-email", "Tab reaches the email field first")
        keys(driver, "not-an-address", Keys.TAB, "A", Keys.ENTER)
        wait(driver, lambda d: len(errors(d)) == 2, "the page's own errors")
        shown = errors(driver)
        seen["errors"] = shown
        check(driver.execute_script("return document.activeElement.id") == "f-email", "the first field in error takes the focus")
        check(driver.execute_script("return document.getElementById('f-email').getAttribute('aria-invalid')") == "true", "the field is marked invalid")
        # The server's verdict on the same answers is the same words.
        status, answer = post("/submit", {"key": form["public_key"], "token": config["token"], "answers": {"email": "not-an-address", "first": "A"}}, own)
        check(status == 422, f"the server refuses the same answers: {status} {answer}")
        check(answer.get("error", {}).get("details", {}).get("fields") == shown, f"the page's errors are the server's: {shown} vs {answer}")
        after = wait(driver, lambda d: frame_height(d) > before + 20 and frame_height(d), "the iframe to grow with the errors")
        seen["height_with_errors"] = after
        shot(driver, "1-errors")

        # Corrected, by keyboard: the email, the name, the phone, the consent box (Space), then Enter on the button.
        enter_frame(driver)
        retype(driver, "ada@example.com")
        keys(driver, Keys.TAB)
        retype(driver, "Ada")
        keys(driver, Keys.TAB, "(415) 555-0100", Keys.TAB, Keys.SPACE, Keys.TAB, Keys.ENTER)
        wait(driver, lambda d: d.execute_script("return !document.getElementById('done').hidden"), "the success message")
        check(driver.execute_script("return document.getElementById('done').textContent.trim()") == "Welcome aboard!", "the success message is the form's")
        check(driver.execute_script("return document.getElementById('form').getBoundingClientRect().height") == 0, "the message takes the form's place")
        shot(driver, "2-sent")
        driver.switch_to.default_content()
        wait(driver, lambda d: "submitted" in d.execute_script("return window.__events"), "the page to hear ozzi-form:submitted")

        submissions = api("GET", f"/forms/{form['id']}/submissions")["data"]
        check(len(submissions) == 1, f"one submission: {submissions}")
        if submissions:
            submission = submissions[0]
            seen["answers"] = submission["answers"]
            check(submission["answers"].get("campaign") == "spring", "the hidden field took the page's URL parameter")
            check(submission["utm"] == {"utm_source": "news"}, f"the page's utm parameters: {submission['utm']}")
            check(submission["referrer"] == allowed + "/join", f"the referrer is the page: {submission['referrer']}")
            contact = api("GET", f"/contacts/{submission['contact_id']}")
            check(contact["email"] == "ada@example.com" and contact["phone"] == "+14155550100" and contact["name"] == "Ada", f"the contact: {contact}")
            check(contact["sms_consent"]["status"] == "opted_in", f"consent recorded: {contact['sms_consent']}")
            settled = wait(driver, lambda d: [a["status"] for a in api("GET", f"/forms/{form['id']}/submissions/{submission['id']}")["actions"]] == ["done"],
                           "the workflow's welcome SMS")
            if settled:
                messages = api("GET", f"/messages?contact_id={submission['contact_id']}")["data"]
                check(len(messages) == 1 and messages[0]["template_id"] == template["id"], f"the welcome SMS is scheduled: {messages}")
        # The same token again: the same answer, nothing new.
        status, answer = post("/submit", {"key": form["public_key"], "token": config["token"], "answers": {"email": "ada@example.com"}}, own)
        check(status == 201, f"a repeated token is answered as a success: {status} {answer}")
        check(len(api("GET", f"/forms/{form['id']}/submissions")["data"]) == 1, "a repeated token created nothing")

        # A bot filling the honeypot: the success message, nothing created.
        show_form(driver, allowed, form["public_key"])
        driver.execute_script("document.getElementById('ozzi-hp').value = 'http://spam.example'; document.getElementById('f-email').value = 'bot@example.com';"
                              "document.getElementById('submit').click()")
        wait(driver, lambda d: d.execute_script("return !document.getElementById('done').hidden"), "the honeypot bot's success message")
        shot(driver, "3-honeypot-bot")
        # A bot sending at once a form that wants a minute: the same.
        show_form(driver, allowed, slow["public_key"])
        driver.execute_script("document.getElementById('f-email').value = 'fast@example.com'; document.getElementById('submit').click()")
        wait(driver, lambda d: d.execute_script("return !document.getElementById('done').hidden"), "the fast bot's success message")
        check(driver.execute_script("return document.getElementById('done').textContent.trim()") == "Welcome aboard!", "the fast bot sees the success message")
        check(len(api("GET", f"/forms/{form['id']}/submissions")["data"]) == 1, "the honeypot bot created nothing")
        check(api("GET", f"/forms/{slow['id']}/submissions")["data"] == [], "the fast bot created nothing")
        emails = [c["email"] for c in api("GET", "/contacts?limit=100")["data"]]
        check("bot@example.com" not in emails and "fast@example.com" not in emails, f"no bot became a contact: {emails}")
        seen["spam"] = api("GET", f"/forms/{form['id']}/stats")["totals"]["spam"] + api("GET", f"/forms/{slow['id']}/stats")["totals"]["spam"]
        check(seen["spam"] == 2, f"both bots counted as spam: {seen['spam']}")

        # An origin the form does not allow: no form, and the iframe is refused by the browser.
        driver.switch_to.default_content()
        driver.get_log("browser")
        logs = []
        driver.get(refused + "/join")
        wait(driver, lambda d: logs.extend(e.get("message", "") for e in d.get_log("browser")) or any("allowed origins" in m for m in logs),
             "the loader's warning on an origin the form does not allow")
        check(driver.execute_script("return document.querySelector('[data-ozzi-form] iframe')") is None, "the form appeared on an origin it does not allow")
        driver.get(refused + "/framed-by-hand.html")
        wait(driver, lambda d: logs.extend(e.get("message", "") for e in d.get_log("browser")) or any("frame-ancestors" in m for m in logs),
             "the browser's report of the frame-ancestors refusal")
        shot(driver, "4-refused")
    finally:
        driver.quit()
        site.shutdown()
    run.report()


main()
