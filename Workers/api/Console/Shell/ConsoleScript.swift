/// The console's one script. It submits the workspace switcher on change; makes a `data-live-search` form
/// search as the user types (the same page's results part, `part=results`, rendered and escaped by the
/// server, replaces the old one, newest answer only, and the address follows, so Back and a reload show the
/// same search); sends a `data-import-upload` form's file to the API as the request body, with the page's
/// CSRF token; and moves a `data-import-progress` report's bar with the import's events on the live stream
/// (`/api/v1/stream`, Server-Sent Events): no polling. On connecting it reads the report once, so an import
/// that ended before the stream opened is not waited for. A `LivePart` is fetched again (`?part=`) when one
/// of its events arrives and whenever the stream (re)connects. A `data-preview` form shows what it would
/// send as it is typed (the server renders it); `data-channel` fieldsets show only the chosen channel's
/// fields; `data-browser-zone` fills in the browser's time zone; `data-submit-on-enter` sends a reply on Enter.
enum ConsoleScript {
    static let text = """
        "use strict";
        (function () {
          function ready(f) { if (document.readyState !== "loading") f(); else document.addEventListener("DOMContentLoaded", f); }
          // A call of the page's own: an API answer of 401 (the access cookie lapsed while the page was open) renews
          // the session once from the refresh cookie, then asks again.
          function call(url, options) {
            return fetch(url, options).then(function (answer) {
              if (answer.status !== 401 || url.indexOf("/api/") !== 0) return answer;
              return fetch("/api/v1/auth/refresh", { method: "POST", credentials: "same-origin" })
                .then(function (renewed) { return renewed.ok ? fetch(url, options) : answer; });
            });
          }
          // A page being left closes its streams with an error: that is not a lapsed session to renew (a renewal cut
          // off by the unload would leave the browser with a spent refresh token).
          var leaving = false;
          window.addEventListener("pagehide", function () { leaving = true; });
          window.addEventListener("beforeunload", function () { leaving = true; });
          // The workspace's live stream: `setup` adds its listeners to each stream opened. One refused for good (the
          // access cookie lapsed while the page was open) renews the session once and opens again. Answers the
          // current stream, to close.
          function openStream(setup) {
            var stream;
            function listen() {
              stream = new EventSource("/api/v1/stream");
              setup(stream);
              stream.addEventListener("error", function () {
                if (leaving || stream.readyState !== EventSource.CLOSED) return;
                fetch("/api/v1/auth/refresh", { method: "POST", credentials: "same-origin" }).then(function (renewed) { if (renewed.ok) listen(); });
              });
            }
            listen();
            return function () { return stream; };
          }
          function csrf() { var meta = document.querySelector("meta[name=csrf-token]"); return meta ? meta.content : ""; }
          // One stream for the page's live parts; a part is read again when one of its events is about it.
          function followLiveParts(parts) {
            function refresh(part) {
              if (part.busy) { part.again = true; return; }
              part.busy = true;
              var address = new URL(location.href);
              address.hash = "";
              address.searchParams.set("part", part.getAttribute("data-live-part"));
              fetch(address, { credentials: "same-origin", headers: { accept: "text/html" } })
                .then(function (answer) { if (!answer.ok || answer.redirected) throw new Error("part " + answer.status); return answer.text(); })
                .then(function (html) { part.innerHTML = html; part.dispatchEvent(new CustomEvent("live-updated", { bubbles: true })); })
                .catch(function () {})
                .finally(function () { part.busy = false; if (part.again) { part.again = false; refresh(part); } });
            }
            var types = {};
            parts.forEach(function (part) { part.getAttribute("data-live-events").split(" ").forEach(function (type) { types[type] = true; }); });
            var opened = false;
            openStream(function (stream) {
              // The first connection follows the page's own render; a later one may have missed events.
              stream.addEventListener("open", function () { if (opened) parts.forEach(refresh); opened = true; });
              Object.keys(types).forEach(function (type) {
                stream.addEventListener(type, function (message) {
                  var data = JSON.parse(message.data).data || {};
                  parts.forEach(function (part) {
                    if (part.getAttribute("data-live-events").split(" ").indexOf(type) < 0) return;
                    var key = part.getAttribute("data-live-key");
                    if (!key || data[key] === part.getAttribute("data-live-id")) refresh(part);
                  });
                });
              });
            });
          }
          ready(function () {
            var parts = Array.from(document.querySelectorAll("[data-live-part]"));
            if (parts.length) followLiveParts(parts);
            document.querySelectorAll("form[data-preview]").forEach(function (form) {
              var target = document.getElementById(form.getAttribute("data-preview-target")), timer = null, pending = null;
              function channel() { var chosen = form.querySelector("input[name=channel]:checked"); return chosen ? chosen.value : ""; }
              function show() {
                form.querySelectorAll("fieldset[data-channel]").forEach(function (set) { set.hidden = set.getAttribute("data-channel") !== channel(); });
              }
              function preview() {
                var query = new URLSearchParams(new FormData(form));
                query.delete("_csrf");
                if (pending) pending.abort();
                pending = new AbortController();
                fetch(form.getAttribute("data-preview") + "?" + query.toString(), { credentials: "same-origin", headers: { accept: "text/html" }, signal: pending.signal })
                  .then(function (answer) { if (!answer.ok || answer.redirected) throw new Error("preview " + answer.status); return answer.text(); })
                  .then(function (html) { target.innerHTML = html; })
                  .catch(function () {});
              }
              form.addEventListener("input", function () { show(); clearTimeout(timer); timer = setTimeout(preview, 150); });
              show();
            });
            document.querySelectorAll("input[data-browser-zone]").forEach(function (input) {
              if (!input.value) try { input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (error) {}
            });
            document.querySelectorAll("textarea[data-submit-on-enter]").forEach(function (area) {
              area.addEventListener("keydown", function (event) {
                if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
                event.preventDefault();
                if (area.value.trim()) area.form.requestSubmit();
              });
            });
            // A conversation's newest message in view, as chat shows it.
            function scrollThread() { var list = document.querySelector(".thread"); if (list) list.scrollTop = list.scrollHeight; }
            scrollThread();
            document.addEventListener("live-updated", scrollThread);
            document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
              select.addEventListener("change", function () { select.form.submit(); });
            });
            document.querySelectorAll("form[data-live-search]").forEach(function (form) {
              var target = document.getElementById(form.getAttribute("data-live-search"));
              if (!target) return;
              var timer = null, pending = null;
              function search() {
                var query = new URLSearchParams(new FormData(form));
                for (var [key, value] of Array.from(query.entries())) if (value === "") query.delete(key);
                var address = form.action + (query.toString() ? "?" + query.toString() : "");
                query.set("part", "results");
                if (pending) pending.abort();
                pending = new AbortController();
                fetch(form.action + "?" + query.toString(), { headers: { accept: "text/html" }, credentials: "same-origin", signal: pending.signal })
                  .then(function (answer) {
                    // Sent to sign in (the session ended): go there, rather than show that page in the results.
                    if (answer.redirected) { location.assign(answer.url); throw new Error("signed out"); }
                    if (!answer.ok) throw new Error("search failed: " + answer.status);
                    return answer.text();
                  })
                  .then(function (html) { target.innerHTML = html; history.replaceState(null, "", address); target.setAttribute("aria-busy", "false"); })
                  .catch(function (error) { if (error.name !== "AbortError") target.setAttribute("aria-busy", "false"); });
                target.setAttribute("aria-busy", "true");
              }
              form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 150); });
              form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); search(); });
            });
            document.querySelectorAll("form[data-import-upload]").forEach(function (form) {
              form.addEventListener("submit", function (event) {
                event.preventDefault();
                var file = form.querySelector("input[type=file]").files[0], error = document.getElementById("import-error");
                var button = form.querySelector("button[type=submit]");
                if (!file) return;
                button.disabled = true;
                error.hidden = true;
                call(form.action + "?on_duplicate=" + encodeURIComponent(form.elements.on_duplicate.value), {
                  method: "POST", body: file, credentials: "same-origin", headers: { "content-type": "text/csv", "x-csrf-token": csrf() } })
                  .then(function (answer) {
                    return answer.json().catch(function () { return {}; }).then(function (body) { return { status: answer.status, body: body }; });
                  })
                  .then(function (answer) {
                    if (answer.status !== 202) throw new Error(answer.body.error ? answer.body.error.message : "the import was refused (" + answer.status + ")");
                    location.assign("/console/contacts/imports/" + encodeURIComponent(answer.body.id));
                  })
                  .catch(function (problem) { error.textContent = problem.message; error.hidden = false; button.disabled = false; });
              });
            });
            var report = document.querySelector("[data-import-progress]");
            if (report && report.getAttribute("data-status") === "running") {
              var id = report.getAttribute("data-import-progress");
              var current = null;
              var finish = function (html) { current().close(); report.innerHTML = html; report.setAttribute("data-status", "ended"); };
              var reread = function () {
                fetch(location.pathname + "?part=report", { credentials: "same-origin", headers: { accept: "text/html" } })
                  .then(function (answer) { return answer.text(); })
                  .then(function (html) {
                    var part = document.createElement("template");
                    part.innerHTML = html;
                    var state = part.content.querySelector("#import-state");
                    if (state && state.getAttribute("data-status") !== "running") finish(html);
                  })
                  .catch(function () {});
              };
              var progress = function (message) {
                var data = JSON.parse(message.data).data;
                if (data.import_id !== id) return;
                var percent = Math.min(99, Math.floor(100 * data.rows / Math.max(1, data.expected_rows)));
                document.getElementById("import-bar").value = percent;
                document.getElementById("import-percent").textContent = percent + "%";
                document.getElementById("import-state").textContent = "Importing… " + data.rows + " rows read";
                ["created", "updated", "skipped", "rejected"].forEach(function (name) {
                  var count = report.querySelector("[data-count=" + name + "]");
                  if (count) count.textContent = data[name];
                });
              };
              current = openStream(function (stream) {
                stream.addEventListener("open", reread);
                stream.addEventListener("contact_import.progress", progress);
                stream.addEventListener("contact_import.finished", function (message) {
                  if (JSON.parse(message.data).data.import_id === id) reread();
                });
              });
            }
          });
        })();
        """
}
