"""Drives the chat widget in headless Chromium as a customer's site and its visitor would, and prints one
JSON object: what it saw, and `failures`, a list of what was wrong (empty when the widget works).

Usage: widget_browser.py BASE_URL ACCESS_TOKEN [SCREENSHOT_DIR]

It serves the customer's pages itself, from another origin than the host's (http://127.0.0.1:PORT), makes a
widget through the API allowing that origin, and checks:
- the page's snippet queues calls made before the loader arrives, and the loader replays them;
- the launcher appears; `open()` shows the chat; the visitor sends a message (an XSS payload, drawn as text);
- an agent's reply through the API appears live in the iframe and reaches the page's `on("message")`;
- `identify` with a valid signature links the visitor's conversation to a contact, with a forged one it does not;
- a window of another origin posting to the page or to the iframe changes nothing;
- the same page on an origin the widget does not allow (http://localhost:PORT) gets no launcher, and an
  iframe it makes by hand is refused by the browser (CSP frame-ancestors).
Screenshots go to SCREENSHOT_DIR when given.
"""
import hashlib
import hmac
import json
import sys
import time

from selenium.webdriver.common.by import By

from headless import Run, chromium, serve

run = Run(sys.argv)
base, token, shots, failures, seen = run.base, run.token, run.shots, run.failures, run.seen
check, api, wait, shot = run.check, run.api, run.wait, run.shot

XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'


# The customer's site: a page with the snippet (and calls made before the loader arrives), and a page of
# a third origin that tries to talk to the widget.
PAGES = {}


def page_with(snippet, before="", after=""):
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Customer shop</title></head>
<body><h1>Customer shop</h1><p>A page of the customer's site.</p>
<script>window.__events = []; window.__messages = [];</script>
{snippet}
<script>
OzziOsWidget.on("ready", function () {{ window.__events.push("ready"); }});
OzziOsWidget.on("open", function () {{ window.__events.push("open"); }});
OzziOsWidget.on("close", function () {{ window.__events.push("close"); }});
OzziOsWidget.on("message", function (m) {{ window.__messages.push(m); }});
{before}
</script>
{after}
</body></html>"""


def launcher(driver):
    return driver.execute_script("""
        const host = document.getElementById('ozzi-os-widget');
        const button = host && host.shadowRoot && host.shadowRoot.querySelector('button');
        return button ? {text: button.textContent, visible: button.getBoundingClientRect().width > 0} : null""")


def panel_shown(driver):
    return driver.execute_script("""
        const host = document.getElementById('ozzi-os-widget');
        const panel = host && host.shadowRoot && host.shadowRoot.querySelector('div');
        return !!panel && panel.style.display === 'block'""")


def enter_frame(driver):
    driver.switch_to.default_content()
    frame = driver.execute_script("return document.getElementById('ozzi-os-widget').shadowRoot.querySelector('iframe')")
    driver.switch_to.frame(frame)


def frame_lines(driver):
    return driver.execute_script("return Array.from(document.querySelectorAll('#log .message')).map(p => [p.className, p.textContent])")


def send_from_visitor(driver, text):
    enter_frame(driver)
    box = driver.find_element(By.ID, "text")
    box.clear()
    driver.execute_script("arguments[0].value = arguments[1]", box, text)
    driver.find_element(By.ID, "send").click()
    wait(driver, lambda d: any(line[1] == text for line in frame_lines(d)), "the visitor's message to be drawn")
    driver.switch_to.default_content()


def signed(secret, user_id, email, expires_at):
    message = f"v1\n{user_id}\n{email}\n{expires_at}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def main():
    site = serve(PAGES)
    port = site.server_address[1]
    allowed, refused = f"http://127.0.0.1:{port}", f"http://localhost:{port}"
    widget = api("POST", "/widgets", {"name": "Shop chat", "allowed_origins": [allowed],
                                      "appearance": {"color": "#0f766e", "launcher_text": "Talk to us", "greeting": "Hello from the shop"}})
    key, secret = widget["public_key"], widget["identity_secret"]
    widget_url = base + "/widget"
    snippet = widget["snippet"].replace("http://127.0.0.1:8787/widget", widget_url)
    check(widget_url + "/loader.js?key=" + key in snippet, "the snippet does not load the widget: " + snippet)

    expires = int(time.time()) + 600
    good = {"user_id": "u-1", "email": "ada@customer.example", "name": "Ada Customer", "expires_at": expires,
            "signature": signed(secret, "u-1", "ada@customer.example", expires)}
    # Signed for another address: a captured signature pointed at someone else.
    forged = dict(good, email="boss@customer.example", user_id="u-2")
    PAGES["/shop.html"] = page_with(snippet, before="OzziOsWidget.identify(%s);" % json.dumps(good))
    PAGES["/forged.html"] = page_with(snippet, before="OzziOsWidget.identify(%s);" % json.dumps(forged))
    # A window of a third origin (the refused one) inside the allowed page, trying both ways.
    PAGES["/evil.html"] = """<!doctype html><script>
      parent.postMessage({type: "ozzi:close"}, "*");
      parent.postMessage({type: "ozzi:message", message: {id: "x", from: "agent", text: "forged"}}, "*");
      for (let i = 0; i < parent.frames.length; i++) {
        try { parent.frames[i].postMessage({type: "ozzi:identify", user: {user_id: "evil"}}, "*"); } catch (e) {}
      }
      parent.postMessage({type: "evil-done"}, "*");
    </script>"""
    # The page learns the foreign frame is done from its last message: a window's messages arrive in order.
    PAGES["/host-of-evil.html"] = page_with(snippet, before="addEventListener('message', e => { if (e.data && e.data.type === 'evil-done') window.__evilDone = true; });",
                                            after=f'<iframe id="evil" src="{refused}/evil.html"></iframe>')
    PAGES["/refused.html"] = page_with(snippet)
    PAGES["/framed-by-hand.html"] = f"""<!doctype html><iframe id="manual" src="{widget_url}/embed?key={key}"></iframe>
      <script>window.__ready = false; addEventListener("message", e => {{ if (e.data && e.data.type === "ozzi:ready") window.__ready = true; }});</script>"""

    driver = chromium()
    try:
        # The visitor on the customer's page: launcher, open, send.
        driver.get(allowed + "/shop.html")
        found = wait(driver, lambda d: launcher(d), "the launcher to appear")
        check(bool(found) and found["text"] == "Talk to us" and found["visible"], f"the launcher is wrong: {found}")
        wait(driver, lambda d: "ready" in d.execute_script("return window.__events"), "the ready event (queued before the loader)")
        check(not panel_shown(driver), "the chat is open before open()")
        driver.execute_script("OzziOsWidget.open()")
        check(panel_shown(driver), "open() did not show the chat")
        check(driver.execute_script("return OzziOsWidget.isOpen()"), "isOpen() is false after open()")
        shot(driver, "1-open")
        send_from_visitor(driver, XSS)
        enter_frame(driver)
        check(not driver.execute_script("return !!window.__pwned || document.querySelector('#log img, #log script') !== null"),
              "the visitor's message became markup")
        driver.switch_to.default_content()

        # The agent sees it (the page draws a message as it sends it, so the inbox is asked until the server
        # has it) and replies; the reply appears live.
        conversation = {}
        deadline = time.time() + 60
        while not conversation and time.time() < deadline:
            inbox = [c for c in api("GET", "/conversations")["data"] if c["widget_id"] == widget["id"]]
            conversation = inbox[0] if inbox else {}
            if not conversation:
                time.sleep(0.2)
        check(conversation.get("agent_unread") == 1, f"the inbox does not show one unread message: {conversation}")
        thread = api("GET", f"/conversations/{conversation.get('id')}/messages")["data"]
        check([m["body"] for m in thread] == [XSS], f"the thread is wrong: {thread}")
        reply = "Hello! Happy to help <b>today</b>."
        api("POST", f"/conversations/{conversation.get('id')}/messages", {"text": reply})
        enter_frame(driver)
        wait(driver, lambda d: any(line[1] == reply and "agent" in line[0] for line in frame_lines(d)), "the agent's reply to appear live")
        driver.switch_to.default_content()
        wait(driver, lambda d: any(m["text"] == reply for m in d.execute_script("return window.__messages")), "the page's message event")
        shot(driver, "2-reply")
        # Typing and read receipts, both ways.
        api("POST", f"/conversations/{conversation.get('id')}/typing")
        enter_frame(driver)
        wait(driver, lambda d: d.execute_script("return !document.getElementById('typing').hidden"), "the team's typing indicator")
        driver.switch_to.default_content()
        api("POST", f"/conversations/{conversation.get('id')}/read")
        enter_frame(driver)
        wait(driver, lambda d: d.execute_script("return document.querySelectorAll('#log .message.visitor.seen').length === 1"),
             "the visitor's message to show the team has seen it")
        driver.switch_to.default_content()
        wait(driver, lambda d: api("GET", f"/conversations/{conversation.get('id')}").get("visitor_read_seq") == 2,
             "the visitor's read receipt for the reply")
        # The signed identify linked the conversation to the contact of the signed email.
        linked = api("GET", f"/conversations/{conversation.get('id')}")
        contact = api("GET", f"/contacts/{linked.get('contact_id')}") if linked.get("contact_id") else {}
        check(contact.get("email") == "ada@customer.example", f"a signed identify did not link the contact: {linked}")
        seen["conversation"] = linked.get("id")

        # close() and toggle().
        driver.execute_script("OzziOsWidget.close()")
        check(not panel_shown(driver), "close() did not hide the chat")
        driver.execute_script("OzziOsWidget.toggle()")
        check(panel_shown(driver), "toggle() did not show the chat")
        check(driver.execute_script("return window.__events").count("open") == 2, "open events: " + str(driver.execute_script("return window.__events")))

        # A reload keeps the visitor's session in the iframe and shows the history once.
        driver.get(allowed + "/shop.html")
        wait(driver, lambda d: "ready" in d.execute_script("return window.__events"), "ready after a reload")
        enter_frame(driver)
        wait(driver, lambda d: len(frame_lines(d)) >= 2, "the history after a reload")
        check(len(frame_lines(driver)) == 2, f"the history is drawn more than once: {frame_lines(driver)}")
        driver.switch_to.default_content()

        # A forged identify (the signature of another email) links nothing.
        driver.execute_cdp_cmd("Storage.clearDataForOrigin", {"origin": base, "storageTypes": "local_storage"})
        driver.get(allowed + "/forged.html")
        wait(driver, lambda d: "ready" in d.execute_script("return window.__events"), "ready on the forged page")
        driver.execute_script("OzziOsWidget.open()")
        send_from_visitor(driver, "Am I the boss?")
        # Not identified, the visitor is asked for an address; typing a known contact's attaches nobody.
        enter_frame(driver)
        wait(driver, lambda d: d.execute_script("return !document.getElementById('email-form').hidden"), "the question for an email address")
        driver.find_element(By.ID, "email").send_keys("ada@customer.example")
        driver.find_element(By.CSS_SELECTOR, "#email-form button").click()
        wait(driver, lambda d: d.execute_script("return document.getElementById('email-form').hidden"), "the address to be taken")
        driver.switch_to.default_content()
        inbox = api("GET", "/conversations")["data"]
        forged_conversation = [c for c in inbox if c["id"] != conversation.get("id") and c["widget_id"] == widget["id"]]
        check(len(forged_conversation) == 1 and forged_conversation[0].get("contact_id") is None,
              f"a forged identify linked a contact: {forged_conversation}")

        # A foreign window posting to the page and to the iframe changes nothing.
        driver.get(allowed + "/host-of-evil.html")
        wait(driver, lambda d: "ready" in d.execute_script("return window.__events"), "ready on the page with a foreign frame")
        driver.execute_script("OzziOsWidget.open()")
        # Reloaded after it had posted: the page opened the chat after the foreign frame's messages.
        driver.execute_script("document.getElementById('evil').src = document.getElementById('evil').src; window.__evilDone = false")
        wait(driver, lambda d: d.execute_script("return window.__evilDone"), "the foreign frame to post")
        driver.execute_script("window.postMessage({type: 'ozzi:close'}, '*'); window.postMessage({type: 'evil-done'}, '*'); window.__evilDone = false")
        wait(driver, lambda d: d.execute_script("return window.__evilDone"), "the page's own message to itself")
        check(panel_shown(driver), "a foreign window closed the chat")
        check(not any(m["text"] == "forged" for m in driver.execute_script("return window.__messages")), "a foreign window faked a message")
        shot(driver, "3-foreign-frame")

        # An origin the widget does not allow: no launcher, and the iframe is refused by the browser.
        # Each refusal is awaited by its own sign (the loader's warning, the browser's report), not by a delay.
        driver.get_log("browser")
        logs = []
        driver.get(refused + "/refused.html")
        wait(driver, lambda d: logs.extend(e.get("message", "") for e in d.get_log("browser")) or any("allowed origins" in m for m in logs),
             "the loader's warning on an origin the widget does not allow")
        check(launcher(driver) is None, "the launcher appeared on an origin the widget does not allow")
        driver.get(refused + "/framed-by-hand.html")
        wait(driver, lambda d: logs.extend(e.get("message", "") for e in d.get_log("browser")) or any("frame-ancestors" in m for m in logs),
             "the browser's report of the frame-ancestors refusal")
        check(not driver.execute_script("return window.__ready"), "the iframe rendered inside an origin the widget does not allow")
        shot(driver, "4-refused")
    finally:
        driver.quit()
        site.shutdown()
    run.report()


main()
