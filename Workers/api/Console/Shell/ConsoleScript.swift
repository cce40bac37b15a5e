/// The console's one script, an enhancement: every page works without it. It submits the workspace
/// switcher on change, and makes a `data-live-search` form search as the user types: the same page's
/// results part (`part=results`, rendered and escaped by the server) replaces the old one, newest answer
/// only, and the address follows, so Back and a reload show the same search.
enum ConsoleScript {
    static let text = """
        "use strict";
        (function () {
          function ready(f) { if (document.readyState !== "loading") f(); else document.addEventListener("DOMContentLoaded", f); }
          ready(function () {
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
                  .then(function (answer) { if (!answer.ok) throw new Error("search failed: " + answer.status); return answer.text(); })
                  .then(function (html) { target.innerHTML = html; history.replaceState(null, "", address); target.setAttribute("aria-busy", "false"); })
                  .catch(function (error) { if (error.name !== "AbortError") target.setAttribute("aria-busy", "false"); });
                target.setAttribute("aria-busy", "true");
              }
              form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 150); });
              form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); search(); });
            });
          });
        })();
        """
}
