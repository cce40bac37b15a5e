"""Drives the console's daily work in headless Chromium, and prints one JSON object: what it saw, and
`failures`, a list of what was wrong (empty when it works).

Usage: console_work_browser.py BASE_URL ACCESS_TOKEN EMAIL PASSWORD [SCREENSHOT_DIR]

The account (EMAIL, PASSWORD; ACCESS_TOKEN is one of its sessions, for setting up through the API) has 30
contacts with phone numbers. It checks, with two windows: a customer's shop page (another origin) with the
chat widget, and the console:
- answering a widget chat: the visitor's message appears in the inbox without a reload (the live stream),
  unread; the conversation opens with it; a reply typed and sent with Enter shows in the thread and, live,
  in the visitor's widget; the visitor's next message appears in the open thread without a reload;
  assigning it to oneself and resolving it takes it off the open list;
- scheduling a campaign: the compose page's preview follows the typing (the contact's name in place of
  its variable, the SMS's encoding and segments, which go to 2 past 160 characters); scheduled a few
  seconds ahead in the browser's own time zone, its page shows it scheduled, then, without a reload, its
  progress to finished: 30 of 30 sent;
- a campaign posted without the session's CSRF token is refused (403) and makes nothing;
- building a form: made for the shop's site, a field added and moved first, the form's own page framed
  beside the builder shows the fields in that order (and counts no view); its snippet on the shop's page
  shows the form, and what the visitor sends there appears on the console's submissions page, live;
- reviewing a call: a test call made from the numbers page is followed on its page (transcript, review,
  recording, live); its recording plays; classed, rated and its summary corrected by hand, the API agrees,
  and the dashboard counts it;
- talking to the agent in the voice testing lab: the answer's words arrive one update at a time, the caller
  lookup shows running then answered with its result, the agent's goodbye ends the conversation, and hanging up
  leads to the call's record (a lab call, completed);
- approving a submission: a message posted in a community's channel with Enter shows there; a member's post
  held in a reviewed channel (MEMBER_TOKEN, the member's session) arrives live in the review queue and,
  approved with a reason, shows in its channel and the audit log;
- the team's week shows this week's event; a tracker's heatmap image loads; a draft render asked for on a
  project's page arrives in a player, live, and plays; the platform page opens for a platform admin;
- axe-core finds no serious or critical WCAG 2.1 A/AA violation on any of these pages, each photographed at
  a phone's width and a desktop's (SCREENSHOT_DIR).
"""
import json
import os
import sys
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

import console_pages
from console_pages import DESKTOP, fetch, look, sign_in, text
from headless import chromium, serve

run, email, password = console_pages.command_line(sys.argv)
base, failures, seen = run.base, run.failures, run.seen
check, api, wait = run.check, run.api, run.wait


def widget_lines(driver):
    """The visitor's chat as the widget's iframe draws it (the window must be the shop's)."""
    driver.switch_to.default_content()
    frame = driver.execute_script("return document.getElementById('ozzi-os-widget').shadowRoot.querySelector('iframe')")
    driver.switch_to.frame(frame)
    lines = driver.execute_script("return Array.from(document.querySelectorAll('#log .message')).map(p => p.textContent)")
    driver.switch_to.default_content()
    return lines


def visitor_says(driver, words):
    driver.switch_to.default_content()
    driver.switch_to.frame(driver.execute_script("return document.getElementById('ozzi-os-widget').shadowRoot.querySelector('iframe')"))
    box = driver.find_element(By.ID, "text")
    box.clear()
    box.send_keys(words)
    driver.find_element(By.ID, "send").click()
    driver.switch_to.default_content()
    wait(driver, lambda d: any(words in line for line in widget_lines(d)), "the visitor's message in the widget")


def media_seconds(driver, css):
    """How long the player's media is, once the browser has read it from the host (-1 when it cannot)."""
    return driver.execute_async_script("""
        var done = arguments[arguments.length - 1], media = document.querySelector(arguments[0]);
        media.addEventListener("loadedmetadata", function () { done(media.duration); });
        media.addEventListener("error", function () { done(-1); });
        media.load();""", css)


def thread_lines(driver):
    return [item.text for item in driver.find_elements(By.CSS_SELECTOR, ".thread li")]


driver = chromium()
driver.set_window_size(*DESKTOP)
pages = {}
site = serve(pages)
try:
    # The shop, with the widget, in a window of its own.
    shop_origin = f"http://127.0.0.1:{site.server_address[1]}"
    widget = api("POST", "/widgets", {"name": "Shop chat", "allowed_origins": [shop_origin]})
    snippet = widget["snippet"].replace("http://127.0.0.1:8787/widget", base + "/widget")
    pages["/shop.html"] = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
        <body><h1>Shop</h1>{snippet}</body></html>"""

    # The console's inbox, signed in, marked so a reload would show.
    sign_in(run, driver, email, password, "/console/inbox", "Inbox")
    console = driver.current_window_handle
    check("No conversations here" in text(driver, "#live-conversations"), "the inbox is not empty before the chat: " + text(driver, "#live-conversations"))
    look(run, driver, "inbox-empty")
    driver.execute_script("window.__samePage = true")

    driver.switch_to.new_window("window")
    shop = driver.current_window_handle
    driver.get(shop_origin + "/shop.html")
    wait(driver, lambda d: d.execute_script("return !!window.OzziOsWidget && !!document.getElementById('ozzi-os-widget')"), "the widget on the shop's page")
    driver.execute_script("OzziOsWidget.open()")
    visitor_says(driver, "Do you have the teapot in blue?")

    # The chat arrives in the inbox, live and unread.
    driver.switch_to.window(console)
    wait(driver, lambda d: "Do you have the teapot in blue?" in text(d, "#live-conversations"), "the visitor's message in the inbox, live")
    check(driver.execute_script("return window.__samePage === true"), "the inbox reloaded to show the chat")
    check(driver.find_elements(By.CSS_SELECTOR, "#live-conversations .badge") != [], "the new chat is not marked unread")
    look(run, driver, "inbox")
    driver.find_element(By.CSS_SELECTOR, "#live-conversations tbody a").click()
    wait(driver, lambda d: "/console/inbox/cnv_" in d.current_url and any("teapot in blue" in line for line in thread_lines(d)), "the conversation's thread")
    seen["conversation"] = driver.current_url.rsplit("/", 1)[-1]

    # The reply goes with Enter, shows in the thread and reaches the visitor live.
    reply = driver.find_element(By.ID, "reply-text")
    check(driver.switch_to.active_element == reply, "the reply box does not have the focus on opening the conversation")
    reply.send_keys("Yes, two left in blue.", Keys.ENTER)
    wait(driver, lambda d: any("Yes, two left in blue." in line for line in thread_lines(d)), "the reply in the thread")
    driver.switch_to.window(shop)
    wait(driver, lambda d: any("Yes, two left in blue." in line for line in widget_lines(d)), "the reply in the visitor's widget")
    visitor_says(driver, "Great, I will take one.")

    # The visitor's answer appears in the open thread without a reload.
    driver.switch_to.window(console)
    driver.execute_script("window.__samePage = true")
    wait(driver, lambda d: any("Great, I will take one." in line for line in thread_lines(d)), "the visitor's answer in the open thread, live")
    check(driver.execute_script("return window.__samePage === true"), "the thread reloaded to show the answer")
    seen["thread"] = thread_lines(driver)
    look(run, driver, "conversation")

    # Assign it to oneself, then resolve it.
    Select(driver.find_element(By.ID, "assignee")).select_by_index(1)
    driver.find_element(By.XPATH, "//button[normalize-space()='Assign']").click()
    wait(driver, lambda d: d.find_element(By.ID, "assignee").get_attribute("value") != "", "the assignment to stick")
    driver.find_element(By.XPATH, "//button[normalize-space()='Resolve']").click()
    wait(driver, lambda d: d.current_url.endswith("/console/inbox") and text(d, "h1") == "Inbox", "the inbox after resolving")
    check("teapot" not in text(driver, "#live-conversations") and "Great, I will take one." not in text(driver, "#live-conversations"),
          "a resolved conversation is still on the open list")
    resolved = api("GET", "/conversations/" + seen["conversation"])
    check(resolved["status"] == "resolved" and resolved["assignee_id"], f"the conversation is {resolved['status']}, assigned to {resolved['assignee_id']}")

    # Compose a campaign: the preview follows the typing.
    driver.get(base + "/console/campaigns/new")
    look(run, driver, "campaign-compose")
    driver.find_element(By.ID, "campaign-name").send_keys("Blue teapots are back")
    body = driver.find_element(By.ID, "campaign-body")
    body.send_keys("Hi {{first_name|there}}, blue teapots are back in the shop")
    wait(driver, lambda d: "GSM-7" in text(d, "#compose-preview") and "{{" not in text(d, "#compose-preview .bubble"), "the preview of the typed message")
    seen["preview"] = text(driver, "#compose-preview")
    check(" · 1 segment" in text(driver, "#sms-length"), "the preview's length: " + text(driver, "#sms-length"))
    body.send_keys(" " + "x" * 120)
    wait(driver, lambda d: "2 segments" in text(d, "#sms-length"), "the preview to count 2 segments past 160 characters")
    body.send_keys(Keys.BACKSPACE * 121)
    wait(driver, lambda d: "1 segment" in text(d, "#sms-length"), "the preview back to 1 segment")
    zone = driver.find_element(By.ID, "campaign-zone").get_attribute("value")
    check(zone != "", "the time zone is not filled in from the browser")
    seen["zone"] = zone
    # A few seconds ahead, as the browser's clock and zone say.
    driver.execute_script("""
        var at = new Date(Date.now() + 6000), pad = function (n) { return String(n).padStart(2, "0"); };
        document.getElementById("campaign-send-at").value = at.getFullYear() + "-" + pad(at.getMonth() + 1) + "-" + pad(at.getDate())
          + "T" + pad(at.getHours()) + ":" + pad(at.getMinutes()) + ":" + pad(at.getSeconds());""")

    # Without the token: refused, nothing made.
    status, _ = fetch(driver, "/console/campaigns", "POST", "name=Forged&channel=sms&audience=all&body=Hi&do=send",
                      {"content-type": "application/x-www-form-urlencoded", "accept": "text/html"})
    check(status == 403, f"a campaign posted without the token answered {status}")
    driver.find_element(By.XPATH, "//button[normalize-space()='Schedule']").click()
    wait(driver, lambda d: "/console/campaigns/cmp_" in d.current_url, "the campaign's page after scheduling")
    seen["campaign"] = driver.current_url.split("/")[-1].split("?")[0]
    check("Scheduled" in text(driver, "#campaign-state") or text(driver, "#campaign-state-tag") in ("running", "finished"),
          "the campaign is not scheduled: " + text(driver, "#campaign-state"))
    driver.execute_script("window.__samePage = true")
    seen["states"] = [text(driver, "#campaign-state-tag")]
    look(run, driver, "campaign-scheduled")

    # It starts at its time and runs to finished, followed live.
    def state(d):
        now = text(d, "#campaign-state-tag")
        if seen["states"][-1] != now:
            seen["states"].append(now)
        return now == "finished"
    wait(driver, state, "the campaign to finish, on its page", seconds=90)
    check(driver.execute_script("return window.__samePage === true"), "the campaign's page reloaded to follow it")
    check(text(driver, "#campaign-state") == "Finished: 30 of 30 done.", "the finished campaign says: " + text(driver, "#campaign-state"))
    check(text(driver, "[data-count=sent]") == "30", "sent: " + text(driver, "[data-count=sent]"))
    bar = driver.execute_script("var b = document.getElementById('campaign-bar'); return b ? [b.value, b.max] : null")
    check(bar == [30, 30], f"the progress bar: {bar}")
    look(run, driver, "campaign-finished")
    campaigns = api("GET", "/campaigns")["data"]
    check([c["name"] for c in campaigns] == ["Blue teapots are back"], f"campaigns made: {[c['name'] for c in campaigns]}")
    sent = api("GET", "/messages?limit=100")["data"]
    seen["first_sent"] = sorted(m.get("sent_text") or "" for m in sent)[0]
    driver.get(base + "/console/campaigns")
    check("finished" in text(driver, "#live-campaigns"), "the list does not show the campaign finished")
    look(run, driver, "campaigns")

    # Build a form: made with the shop as its site, a field added and moved first, the preview beside it.
    driver.get(base + "/console/forms")
    look(run, driver, "forms")
    driver.find_element(By.ID, "form-name").send_keys("Tea club")
    driver.find_element(By.ID, "form-origin").send_keys(shop_origin, Keys.ENTER)
    wait(driver, lambda d: "/console/forms/frm_" in d.current_url and text(d, "h1") == "Tea club", "the new form's builder")
    form_id = driver.current_url.rsplit("/", 1)[-1]
    driver.find_element(By.ID, "label-new").send_keys("Your name")
    Select(driver.find_element(By.ID, "maps-new")).select_by_value("name")
    driver.find_element(By.XPATH, "//button[normalize-space()='Add the field']").click()
    wait(driver, lambda d: [e.text for e in d.find_elements(By.CSS_SELECTOR, ".field-label")] == ["Email", "Your name"], "the added field in the list")
    driver.find_element(By.CSS_SELECTOR, "button[aria-label='Up Your name']").click()
    wait(driver, lambda d: [e.text for e in d.find_elements(By.CSS_SELECTOR, ".field-label")] == ["Your name", "Email"], "the field moved first")

    def preview_labels(d):
        d.switch_to.default_content()
        frame = d.find_elements(By.CSS_SELECTOR, "iframe.form-preview")
        if not frame:
            return []
        d.switch_to.frame(frame[0])
        labels = [e.text.replace("*", "").strip() for e in d.find_elements(By.CSS_SELECTOR, "form label")]
        d.switch_to.default_content()
        return labels
    wait(driver, lambda d: preview_labels(d)[:2] == ["Your name", "Email"], "the preview to show the fields in their order")
    seen["preview_labels"] = preview_labels(driver)
    look(run, driver, "form-builder")
    stats = api("GET", f"/forms/{form_id}/stats")["totals"]
    check(stats["views"] == 0, f"the builder's preview counted {stats['views']} views")
    # The host's PUBLIC_URL is its default (port 8787); the test's host listens elsewhere.
    snippet = driver.find_element(By.ID, "snippet").get_attribute("value").replace("http://127.0.0.1:8787/forms", base + "/forms")

    # Embedded on the shop's page: filled and sent there, it arrives live on the submissions page.
    driver.get(base + f"/console/forms/{form_id}/submissions")
    check("No submissions yet" in text(driver, "#live-submissions"), "the new form has submissions already")
    driver.execute_script("window.__samePage = true")
    pages["/tea.html"] = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tea club</title></head>
        <body><h1>Join the tea club</h1>{snippet}</body></html>"""
    driver.switch_to.window(shop)
    driver.get(shop_origin + "/tea.html")
    wait(driver, lambda d: d.execute_script("return !!document.querySelector('[data-ozzi-form] iframe')"), "the form on the shop's page")
    driver.switch_to.frame(driver.execute_script("return document.querySelector('[data-ozzi-form] iframe')"))
    wait(driver, lambda d: d.find_elements(By.ID, "f-your_name") != [], "the embedded form's fields")
    driver.find_element(By.ID, "f-your_name").send_keys("Mina Tanaka")
    driver.find_element(By.ID, "f-email").send_keys("mina@example.com")
    time.sleep(3.5)  # the form's least fill time (3 s): a person does not send sooner
    driver.find_element(By.ID, "f-email").send_keys(Keys.ENTER)
    wait(driver, lambda d: d.execute_script("return !document.getElementById('done').hidden"), "the embedded form's success message")
    driver.switch_to.default_content()
    driver.switch_to.window(console)
    wait(driver, lambda d: "mina@example.com" in text(d, "#live-submissions"), "the submission on the console's page, live")
    check(driver.execute_script("return window.__samePage === true"), "the submissions page reloaded to show the submission")
    check("Mina Tanaka" in text(driver, "#live-submissions"), "the submission's name: " + text(driver, "#live-submissions"))
    look(run, driver, "form-submissions")

    # Review a call: a test call from the numbers page, followed live on its page to its review, then classed,
    # rated and corrected by hand; its recording plays.
    api("POST", "/voice/numbers", {"phone_number": "+12025550100", "name": "Front desk", "record_calls": True,
                                    "knowledge": [{"topic": "opening hours", "answer": "We are open from nine to five."}]})
    driver.get(base + "/console/calls/numbers")
    look(run, driver, "numbers")
    driver.find_element(By.XPATH, "//button[starts-with(normalize-space(), 'Make a test call')]").click()
    wait(driver, lambda d: "/console/calls/call_" in d.current_url, "the test call's page")
    driver.execute_script("window.__samePage = true")
    wait(driver, lambda d: "nine to five" in text(d, ".transcript"), "the agent's answer in the transcript, live", seconds=120)
    wait(driver, lambda d: text(d, "#review-summary") != "", "the call's review, live", seconds=120)
    wait(driver, lambda d: d.find_elements(By.TAG_NAME, "audio") != [], "the recording's player", seconds=120)
    check(driver.execute_script("return window.__samePage === true"), "the call's page reloaded to follow the call")
    duration = media_seconds(driver, "audio")
    check(duration and duration > 0.5, f"the recording does not play: duration {duration}")
    seen["recording_seconds"] = duration
    Select(driver.find_element(By.ID, "call-class")).select_by_value("appointment")
    driver.find_element(By.CSS_SELECTOR, "input[name=rating][value='4']").click()
    driver.find_element(By.XPATH, "//button[normalize-space()='Save the class and stars']").click()
    wait(driver, lambda d: d.find_element(By.ID, "call-class").get_attribute("value") == "appointment"
         and d.find_element(By.CSS_SELECTOR, "input[name=rating][value='4']").is_selected(), "the class and stars to stick")
    driver.find_element(By.XPATH, "//summary[normalize-space()='Correct the review']").click()
    summary = driver.find_element(By.ID, "fix-summary")
    summary.clear()
    summary.send_keys("Asked for the opening hours and got them.")
    driver.find_element(By.XPATH, "//button[normalize-space()='Save the correction']").click()
    wait(driver, lambda d: text(d, "#review-summary") == "Asked for the opening hours and got them.", "the corrected summary")
    seen["summary"] = text(driver, "#review-summary")
    check(text(driver, "#review-state").endswith("corrected: summary."), "the review does not say it was corrected: " + text(driver, "#review-state"))
    look(run, driver, "call")
    call = api("GET", "/calls/" + driver.current_url.rsplit("/", 1)[-1])
    check(call["classification"] == "appointment" and call["rating"] == 4, f"the call is {call['classification']}, {call['rating']} stars")
    driver.get(base + "/console/calls")
    check(text(driver, "[data-stat=calls]") == "1", "the dashboard's calls: " + text(driver, "[data-stat=calls]"))
    check("appointment" in text(driver, "#live-calls"), "the history does not show the call's class")
    look(run, driver, "calls")

    # Talk to the agent in the voice testing lab: its words grow as they stream, its tools show running then
    # answered, its goodbye ends the conversation, and hanging up leads to the call's record.
    driver.find_element(By.LINK_TEXT, "Voice testing lab").click()
    wait(driver, lambda d: d.find_elements(By.ID, "lab-number") != [], "the lab's number choice")
    look(run, driver, "voice-lab")
    driver.find_element(By.XPATH, "//button[normalize-space()='Start talking']").click()
    wait(driver, lambda d: "/console/calls/lab/call_" in d.current_url and text(d, "#lab-state").startswith("Connected"), "the lab's socket open")
    driver.execute_script("""
      window.__labSeen = { tools: [], updates: 0 };
      new MutationObserver(function (changes) {
        changes.forEach(function (change) {
          if (change.type === "attributes") window.__labSeen.tools.push(change.target.getAttribute("data-tool") + " " + change.target.getAttribute("data-tool-state"));
          else if (change.target.closest && change.target.closest(".from-agent") && change.target.tagName === "P") window.__labSeen.updates += 1;
        });
      }).observe(document.getElementById("lab-thread"), { attributes: true, attributeFilter: ["data-tool-state"], childList: true, subtree: true });
    """)
    say = driver.find_element(By.ID, "lab-text")
    say.send_keys("What are your opening hours?", Keys.ENTER)
    wait(driver, lambda d: "nine to five" in text(d, "#lab-thread li.from-agent[data-done]:last-child"), "the agent's streamed answer")
    say.send_keys("Who am I?", Keys.ENTER)
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#lab-thread li[data-tool=lookup_caller][data-tool-state=done]") != [], "the caller lookup answered")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#lab-thread li[data-tool=lookup_caller] ~ li.from-agent[data-done]") and
         "found" in text(d, "#lab-thread li[data-tool=lookup_caller] pre.result"), "the lookup's result, then the agent's words")
    say.send_keys("Thanks, goodbye", Keys.ENTER)
    wait(driver, lambda d: "ended the conversation" in text(d, "#lab-state"), "the agent ending the conversation")
    lab = driver.execute_script("return window.__labSeen")
    seen["lab"] = lab
    check(lab["tools"][:2] == ["lookup_caller running", "lookup_caller done"], f"the lookup's states: {lab['tools']}")
    check("end_call done" in lab["tools"], f"the end_call tool: {lab['tools']}")
    check(lab["updates"] >= 5, f"the agent's words came at once, not as they streamed: {lab['updates']} updates")
    look(run, driver, "voice-lab-conversation")
    driver.find_element(By.XPATH, "//button[normalize-space()='Hang up and see the call']").click()
    wait(driver, lambda d: "/console/calls/call_" in d.current_url and "Who am I?" in text(d, ".transcript"), "the lab call's record")
    check("the voice lab, in text" in text(driver, ".facts"), "the lab call's direction: " + text(driver, ".facts"))
    lab_call = api("GET", "/calls/" + driver.current_url.rsplit("/", 1)[-1])
    check(lab_call["lab"] is True and lab_call["status"] == "completed", f"the lab call: {lab_call['status']}, lab {lab_call['lab']}")

    # Approve a submission: a member's post held in a reviewed channel arrives live in the review queue and,
    # approved with a reason, shows in its channel.
    community = [c for c in api("GET", "/communities")["data"] if c["name"] == "Tea lovers"][0]
    channels = api("GET", f"/communities/{community['id']}/channels")["data"]
    intros = [c for c in channels if c["name"] == "intros"][0]
    driver.get(base + "/console/communities")
    look(run, driver, "communities")
    driver.find_element(By.LINK_TEXT, "Tea lovers").click()
    wait(driver, lambda d: "/channels/" in d.current_url and d.find_elements(By.ID, "post-text") != [], "the community's first channel")
    driver.find_element(By.ID, "post-text").send_keys("Tasting on Sunday at four.", Keys.ENTER)
    wait(driver, lambda d: "Tasting on Sunday at four." in text(d, "#live-chat"), "the posted message in the channel")
    look(run, driver, "community-channel")
    driver.find_element(By.LINK_TEXT, "Review queue").click()
    wait(driver, lambda d: "Nothing waits" in text(d, "#live-queue"), "the empty review queue")
    driver.execute_script("window.__samePage = true")
    as_member = urllib.request.Request(base + f"/api/v1/communities/{community['id']}/channels/{intros['id']}/submissions", method="POST",
                                       data=json.dumps({"body": "Hello! I grow my own oolong."}).encode(),
                                       headers={"authorization": "Bearer " + os.environ["MEMBER_TOKEN"], "content-type": "application/json"})
    with urllib.request.urlopen(as_member, timeout=30) as answer:
        check(answer.status == 201, f"the member's submission answered {answer.status}")
    wait(driver, lambda d: "I grow my own oolong" in text(d, "#live-queue"), "the held post in the queue, live")
    check(driver.execute_script("return window.__samePage === true"), "the review queue reloaded to show the post")
    look(run, driver, "community-review")
    driver.find_element(By.CSS_SELECTOR, "#live-queue input[name=reason]").send_keys("Welcome!")
    driver.find_element(By.XPATH, "//button[starts-with(normalize-space(), 'Approve')]").click()
    wait(driver, lambda d: "Nothing waits" in text(d, "#live-queue"), "the queue emptied by the approval")
    driver.find_element(By.LINK_TEXT, "# intros").click()
    wait(driver, lambda d: "I grow my own oolong" in text(d, "#live-chat"), "the approved post in its channel")
    audit = api("GET", f"/communities/{community['id']}/audit-log")["data"]
    check(any(e["action"] == "submission_approved" and e["reason"] == "Welcome!" for e in audit), f"the audit log: {audit[:2]}")

    # The other sections: the team's week, a tracker's heatmap and trends, a render watched to its player, the platform.
    driver.get(base + "/console/calendars")
    wait(driver, lambda d: "Tea tasting" in text(d, "table.week"), "this week's event in the team's week")
    look(run, driver, "calendars")
    driver.get(base + "/console/seo")
    look(run, driver, "seo")
    driver.find_element(By.CSS_SELECTOR, "table a[href^='/console/seo/trackers/']").click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "img.heatmap") != [], "the tracker's heatmap")
    loaded = driver.execute_script("var i = document.querySelector('img.heatmap'); return i.complete && i.naturalWidth > 0")
    check(loaded, "the heatmap image did not load")
    look(run, driver, "seo-tracker")
    driver.get(base + "/console/video")
    look(run, driver, "video")
    driver.find_element(By.CSS_SELECTOR, "table a[href^='/console/video/projects/']").click()
    wait(driver, lambda d: "Not rendered yet" in text(d, "#live-renders"), "the project's page")
    Select(driver.find_element(By.ID, "render-quality")).select_by_value("draft")
    driver.find_element(By.XPATH, "//button[normalize-space()='Render']").click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#live-renders tr[data-render]") != [], "the render asked for")
    driver.execute_script("window.__samePage = true")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#live-renders video") != [], "the rendered video's player, live", seconds=180)
    check(driver.execute_script("return window.__samePage === true"), "the project's page reloaded to show the render")
    seconds = media_seconds(driver, "#live-renders video")
    check(seconds and seconds > 0.5, f"the rendered video does not play: duration {seconds}")
    seen["video_seconds"] = seconds
    look(run, driver, "video-project")
    driver.get(base + "/console/admin")
    check(text(driver, "h1") == "Platform", "the platform page: " + text(driver, "h1"))
    look(run, driver, "admin")
except Exception as error:  # what broke the run is a failure like the others, reported with the page it was on
    failures.append(f"stopped at {driver.current_url}: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")
    try:
        seen["last_page"] = driver.find_element(By.TAG_NAME, "body").text[:500]
    except Exception:
        pass
finally:
    site.shutdown()
    driver.quit()
run.report()
