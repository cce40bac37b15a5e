// The iframe's script (`/embed.js`). Plain JavaScript in a raw string literal (the host carries no resource
// files). Every text from the network enters the page through textContent, never as markup.
import OzziRuntime

enum EmbedScript {
    static let source = #"""
        "use strict";
        (function () {
          const body = document.body;
          const key = body.dataset.key;
          const origins = JSON.parse(body.dataset.origins || "[]");
          document.documentElement.style.setProperty("--accent", body.dataset.color || "#2563eb");

          // The embedding page's origin: the browser's own record of it where it keeps one, else the referrer.
          // It must be one of the widget's origins (the CSP already kept others from framing this page); only
          // it is ever written to, and only it and the parent window are listened to.
          \#(OriginMatch.javaScript)
          let parentOrigin = "";
          if (location.ancestorOrigins && location.ancestorOrigins.length) parentOrigin = location.ancestorOrigins[0];
          else if (document.referrer) { try { parentOrigin = new URL(document.referrer).origin; } catch (e) { parentOrigin = ""; } }
          if (window.parent === window || !origins.some((p) => admits(p, parentOrigin))) parentOrigin = "";

          function tell(message) {
            if (parentOrigin) window.parent.postMessage(message, parentOrigin);
          }

          const log = document.getElementById("log");
          const notice = document.getElementById("notice");
          const text = document.getElementById("text");
          const form = document.getElementById("compose");
          const sendButton = document.getElementById("send");
          const shown = new Set();
          let identity = null;
          let lastSeq = 0;
          let socket = null;
          let retry = 1000;
          let open = false;
          let typingShown = null;
          let typingSent = 0;

          // The visitor's session lives here, in the iframe's own storage: made when they first send, never
          // a cookie, never in a URL.
          const storeKey = "ozzi-visitor:" + key;
          let memory = null;
          function token() { try { return localStorage.getItem(storeKey); } catch (e) { return null; } }
          function keep(value) { try { localStorage.setItem(storeKey, value); } catch (e) { /* private mode: this page view only */ } memory = value; }

          function say(message) {
            notice.textContent = message;
            notice.hidden = !message;
          }

          // `own`: the answer to the visitor's own send. It does not move where a reconnect resumes, so a reply
          // written while the socket was down is still fetched (the catch-up repeats this one; its id is known).
          function draw(message, own) {
            if (shown.has(message.id)) return;
            shown.add(message.id);
            if (!own && message.seq > lastSeq) lastSeq = message.seq;
            const line = document.createElement("p");
            line.className = "message " + (message.from === "visitor" ? "visitor" : message.from === "agent" ? "agent" : "system");
            line.dataset.id = message.id;
            line.dataset.seq = String(message.seq);
            line.textContent = message.text;
            log.appendChild(line);
            log.scrollTop = log.scrollHeight;
            if (message.from !== "visitor") {
              typing.hidden = true;
              tell({ type: "ozzi:message", message: { id: message.id, from: message.from, text: message.text } });
              if (open) markRead();
            }
          }

          // Read receipts: the visitor has seen what is drawn while the chat is open; the team's are shown
          // on the visitor's own messages.
          function markRead() {
            if (socket && socket.readyState === WebSocket.OPEN && lastSeq > 0) socket.send(JSON.stringify({ type: "read", seq: lastSeq }));
          }
          function seenUpTo(seq) {
            document.querySelectorAll("#log .message.visitor").forEach((line) => {
              if (Number(line.dataset.seq) <= seq) line.classList.add("seen");
            });
          }
          const typing = document.getElementById("typing");
          function showTyping() {
            typing.hidden = false;
            clearTimeout(typingShown);
            typingShown = setTimeout(() => { typing.hidden = true; }, 4000);
          }

          // A session the server no longer knows (its widget disabled, or it was ended): forget it, and the next
          // message starts a new one. The conversation shown goes with it.
          function forget() {
            try { localStorage.removeItem(storeKey); localStorage.removeItem(storeKey + ":known"); } catch (e) { /* nothing kept */ }
            memory = null;
            lastSeq = 0;
            shown.clear();
            document.querySelectorAll("#log .message").forEach((line) => line.remove());
            if (socket) { const old = socket; socket = null; old.onclose = null; old.close(); }
          }

          async function call(method, path, payload) {
            const headers = { "content-type": "application/json" };
            const held = token() || memory;
            if (held) headers.authorization = "Bearer " + held;
            const answer = await fetch(path, { method, headers, body: payload === undefined ? undefined : JSON.stringify(payload), credentials: "omit" });
            const data = await answer.json().catch(() => ({}));
            if (answer.status === 401 && held) forget();
            if (answer.status === 429) {
              const wait = Number(answer.headers.get("retry-after") || "60");
              throw new Error("You are sending too fast; try again in " + wait + " seconds.");
            }
            if (!answer.ok) {
              const failure = new Error((data.error && data.error.message) || "The chat is not available right now.");
              failure.code = data.error && data.error.code;
              throw failure;
            }
            return data;
          }

          // One session however many sends wait for it.
          let starting = null;
          async function session() {
            if (token() || memory) return;
            if (!starting) {
              starting = call("POST", "api/session", identity ? { key, identity } : { key }).then((made) => {
                keep(made.visitor_token);
                if (made.identified) remember("known");
              }).finally(() => { starting = null; });
            }
            await starting;
          }

          // A visitor nobody identified is asked once, after their first message, for an address to reply to.
          const emailForm = document.getElementById("email-form");
          function remember(what) { try { localStorage.setItem(storeKey + ":" + what, "1"); } catch (e) { /* this page view only */ } }
          function remembered(what) { try { return localStorage.getItem(storeKey + ":" + what) === "1"; } catch (e) { return false; } }
          function askEmail() { if (!remembered("known")) emailForm.hidden = false; }
          emailForm.addEventListener("submit", async (event) => {
            event.preventDefault();
            const email = document.getElementById("email").value.trim();
            if (!email) return;
            try {
              await call("POST", "api/email", { email });
              remember("known");
              emailForm.hidden = true;
              say("Thanks! We will reply to " + email + " too.");
            } catch (error) {
              say(error.message);
            }
          });

          async function catchUp() {
            if (!(token() || memory)) return;
            const page = await call("GET", "api/messages?after=" + lastSeq);
            page.messages.forEach(draw);
            seenUpTo(page.agent_read_seq || 0);
          }

          // Live: a WebSocket whose first message carries the session (not the URL); after a drop it
          // reconnects and resumes after the last message drawn, so nothing is missed or drawn twice.
          function connect() {
            if (socket || !(token() || memory)) return;
            const url = new URL("ws", location.href);
            url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
            socket = new WebSocket(url);
            socket.onopen = () => socket.send(JSON.stringify({ type: "hello", token: token() || memory, after: lastSeq }));
            socket.onmessage = (event) => {
              let data;
              try { data = JSON.parse(event.data); } catch (e) { return; }
              if (data.type === "message" && data.message) { retry = 1000; draw(data.message); }
              else if (data.type === "read" && typeof data.seq === "number") seenUpTo(data.seq);
              else if (data.type === "typing") showTyping();
            };
            socket.onclose = (event) => {
              socket = null;
              if (event.code === 4401) { forget(); return; }
              setTimeout(connect, retry);
              retry = Math.min(retry * 2, 30000);
            };
          }

          form.addEventListener("submit", async (event) => {
            event.preventDefault();
            const value = text.value.trim();
            if (!value || sendButton.disabled) return;
            sendButton.disabled = true;
            try {
              await session();
              const sent = await call("POST", "api/messages", { text: value });
              text.value = "";
              say("");
              draw(sent.message, true);
              connect();
              askEmail();
            } catch (error) {
              say(error.message);
            } finally {
              sendButton.disabled = false;
            }
          });
          text.addEventListener("input", () => {
            const now = Date.now();
            if (socket && socket.readyState === WebSocket.OPEN && now - typingSent > 3000) {
              typingSent = now;
              socket.send(JSON.stringify({ type: "typing" }));
            }
          });
          text.addEventListener("keydown", (event) => {
            if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
          });
          document.getElementById("close").addEventListener("click", () => tell({ type: "ozzi:close" }));

          window.addEventListener("message", (event) => {
            if (!parentOrigin || event.origin !== parentOrigin || event.source !== window.parent) return;
            const message = event.data;
            if (!message || typeof message !== "object") return;
            if (message.type === "ozzi:open") { open = true; text.focus(); markRead(); }
            else if (message.type === "ozzi:close") open = false;
            else if (message.type === "ozzi:identify" && message.user && typeof message.user === "object") {
              identity = message.user;
              // A session of another user (a shared browser) is not continued: the next message starts anew.
              if (token() || memory) call("POST", "api/identify", { identity }).catch((error) => { if (error.code === "identity_changed") forget(); else say(error.message); });
            }
            else if (message.type === "ozzi:reset") forget();
          });

          // A returning visitor sees their conversation at once.
          catchUp().then(connect).catch(() => {});
          tell({ type: "ozzi:ready" });
        })();
        """#
}
