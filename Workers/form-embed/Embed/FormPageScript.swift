import OzziRuntime

// The form page's script, inline under the page's nonce. It checks each answer by the rules the api
// checks them with (FormField+Check.swift in the api), in the same words (the page's config carries the
// api's messages), so what the page says is what the server would answer; the server's answer, when it
// still refuses a field, is shown the same way. Every text enters the page through textContent.
enum FormPageScript {
    static let source = #"""
        "use strict";
        (function () {
          const C = JSON.parse(document.getElementById("config").textContent);
          const M = C.messages;
          const say = (name, value) => M[name].replace("{}", value == null ? "" : String(value));
          \#(OriginMatch.javaScript)
          // The embedding page's origin, if it is one of the form's; only it is ever written to.
          let parentOrigin = "";
          if (location.ancestorOrigins && location.ancestorOrigins.length) parentOrigin = location.ancestorOrigins[0];
          else if (document.referrer) { try { parentOrigin = new URL(document.referrer).origin; } catch (e) { parentOrigin = ""; } }
          if (window.parent === window || !C.origins.some((p) => admits(p, parentOrigin))) parentOrigin = "";
          const tell = (message) => { if (parentOrigin) window.parent.postMessage(message, parentOrigin); };

          const form = document.getElementById("form");
          const status = document.getElementById("status");
          const button = document.getElementById("submit");
          const done = document.getElementById("done");
          const honeypot = document.getElementById("ozzi-hp");
          const emailRule = new RegExp(C.email_pattern, "u");
          const blanks = "[\\s\\u001C-\\u001F\\u0085\\uFEFF]";
          const trim = (s) => s.replace(new RegExp("^" + blanks + "+|" + blanks + "+$", "gu"), "");
          const length = (s) => Array.from(s).length;
          const number = (t) => (t.replace(/^[+-]/, "").length <= 30 && /^[+-]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)$/.test(t) ? Number(t) : null);
          // A pattern the browser cannot compile is left to the server's verdict (the api refuses those it
          // reads differently when the form is defined; this is for a browser older than the rule).
          const patterns = {};
          const pattern = (f) => {
            if (!(f.key in patterns)) { try { patterns[f.key] = new RegExp(f.pattern, "u"); } catch (e) { patterns[f.key] = null; } }
            return patterns[f.key];
          };
          const isDate = (t) => {
            if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(t)) return false;
            const d = new Date(t + "T00:00:00Z");
            return !isNaN(d) && d.toISOString().slice(0, 10) === t;
          };
          const format = (x) => String(x);

          function value(f) {
            const id = "f-" + f.key;
            if (f.type === "checkbox" || f.type === "consent") return document.getElementById(id).checked;
            if (f.type === "multi_select") return Array.from(form.querySelectorAll('input[name="' + f.key + '"]:checked')).map((e) => e.value);
            if (f.type === "radio") { const c = form.querySelector('input[name="' + f.key + '"]:checked'); return c ? c.value : ""; }
            return document.getElementById(id).value;
          }

          // The api's FormField.check, rule for rule: a message, or "" when the answer is taken.
          function check(f, given) {
            const options = (f.options || []).map((o) => o.value);
            if (f.type === "checkbox" || f.type === "consent") return f.required && !given ? say("required") : "";
            if (f.type === "multi_select") {
              const chosen = Array.from(new Set(given));
              if (!chosen.every((v) => options.includes(v))) return say("option");
              if (!chosen.length) return f.required ? say("required") : "";
              if (f.min_choices != null && chosen.length < f.min_choices) return say("fewChoices", f.min_choices);
              if (f.max_choices != null && chosen.length > f.max_choices) return say("manyChoices", f.max_choices);
              return "";
            }
            const text = trim(given || "");
            if (text === "") return f.type === "hidden" && f.default ? "" : f.required ? say("required") : "";
            if (f.type === "number") {
              const n = number(text);
              if (n === null) return say("number");
              if (f.integer && Math.round(n) !== n) return say("whole");
              if (f.min != null && n < f.min) return say("atLeast", format(f.min));
              if (f.max != null && n > f.max) return say("atMost", format(f.max));
              return "";
            }
            if (f.type === "date") {
              if (!isDate(text)) return say("date");
              if (f.min != null && text < f.min) return say("onOrAfter", f.min);
              if (f.max != null && text > f.max) return say("onOrBefore", f.max);
              return "";
            }
            if (f.type === "select" || f.type === "radio") return options.includes(text) ? "" : say("option");
            if (length(text) > f.max_length) return say("tooLong", f.max_length);
            if (f.min_length != null && length(text) < f.min_length) return say("tooShort", f.min_length);
            if (f.type === "email") return emailRule.test(text) ? "" : say("email");
            if (f.type === "phone") return /^\+?[0-9]{6,15}$/.test(text.replace(/[\s().\-\/]/g, "")) ? "" : say("phone");
            if (f.pattern && pattern(f) && !pattern(f).test(text)) return f.pattern_message || say("pattern");
            return "";
          }

          function show(f, message) {
            const control = document.getElementById("f-" + f.key);
            const error = document.getElementById("f-" + f.key + "-error");
            if (!error) { if (message) status.textContent = f.key + ": " + message; return; }
            error.textContent = message;
            error.hidden = !message;
            if (message) control.setAttribute("aria-invalid", "true"); else control.removeAttribute("aria-invalid");
          }

          function focus(f) {
            const target = f.type === "radio" || f.type === "multi_select" ? form.querySelector('input[name="' + f.key + '"]') : document.getElementById("f-" + f.key);
            if (target) target.focus();
          }

          // Once a field showed an error, it is checked again as the visitor corrects it.
          let started = false;
          function touched(event) {
            if (!started) {
              started = true;
              fetch("start", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ key: C.key, token: C.token }) }).catch(() => {});
            }
            const f = C.fields.find((x) => event.target.name === x.key);
            const error = f && document.getElementById("f-" + f.key + "-error");
            if (error && !error.hidden) show(f, check(f, value(f)));
          }
          form.addEventListener("input", touched);
          form.addEventListener("change", touched);

          let busy = false;
          form.addEventListener("submit", (event) => {
            event.preventDefault();
            if (busy) return;
            status.textContent = "";
            const answers = {};
            let first = null;
            for (const f of C.fields) {
              const given = value(f);
              const message = check(f, given);
              show(f, message);
              if (message && !first) first = f;
              answers[f.key] = given;
            }
            if (first) { focus(first); return; }
            busy = true;
            button.disabled = true;
            fetch("submit", {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ key: C.key, token: C.token, answers: answers, honeypot: honeypot ? honeypot.value : "", referrer: C.page, utm: C.utm }),
            })
              .then((r) => r.json().catch(() => ({})).then((body) => ({ status: r.status, body: body })))
              .then((answer) => {
                busy = false;
                button.disabled = false;
                if (answer.status === 201) {
                  form.hidden = true;
                  done.hidden = false;
                  done.focus();
                  tell({ type: "ozzi-form:submitted", redirect: answer.body.redirect_url || null });
                  return;
                }
                const error = (answer.body && answer.body.error) || {};
                const fields = error.details && error.details.fields;
                if (answer.status === 422 && fields) {
                  let firstRefused = null;
                  for (const f of C.fields) if (fields[f.key]) { show(f, fields[f.key]); if (!firstRefused) firstRefused = f; }
                  if (firstRefused) focus(firstRefused);
                } else if (answer.status === 429) {
                  const wait = (error.details && error.details.retry_after) || 60;
                  status.textContent = "Too many submissions from here. Try again in " + wait + " seconds.";
                } else {
                  status.textContent = error.message || "The form could not be sent. Try again.";
                }
              })
              .catch(() => {
                busy = false;
                button.disabled = false;
                status.textContent = "The form could not be sent. Check your connection and try again.";
              });
          });

          // The frame follows the page's height as errors appear and go.
          const resize = () => tell({ type: "ozzi-form:resize", height: Math.ceil(document.body.getBoundingClientRect().height) });
          new ResizeObserver(resize).observe(document.body);
          tell({ type: "ozzi-form:loaded" });
          resize();
        })();
        """#
}
