/// The voice testing lab's part of the console's script (served in the same file). On a page with a
/// `data-voice-lab` section it opens the relay socket the section names, on the page's own origin, and plays
/// Twilio's side of ConversationRelay: `setup` first, then each thing typed as a `prompt` (in the language
/// the agent last switched to), and an `interrupt` with the words shown so far when one is typed while the
/// agent speaks. The agent's `text` tokens grow its answer as they arrive; the lab's own `lab.tool`
/// messages show each tool call running, then answered; `end` ends the conversation as the agent decided.
enum VoiceLabScript {
    static let text = """
        (function () {
          "use strict";
          function start() {
            var lab = document.querySelector("[data-voice-lab]");
            if (!lab) return;
            var thread = document.getElementById("lab-thread"), state = document.getElementById("lab-state");
            var form = document.getElementById("lab-say"), box = document.getElementById("lab-text"), button = form.querySelector("button[type=submit]");
            var language = lab.getAttribute("data-language") || "en-US";
            // `cutOff`: an interrupt was sent and not yet acknowledged; words still arriving are of the answer it cut off.
            var socket = null, speaking = null, heard = "", ended = false, tools = {}, cutOff = false;
            function quiet() { if (speaking) speaking.removeAttribute("aria-busy"); speaking = null; heard = ""; }
            function add(role, words, kind) {
              var item = document.createElement("li"), who = document.createElement("span"), said = document.createElement("p");
              item.className = "from-" + (kind || role);
              who.className = "author";
              who.textContent = role;
              said.textContent = words;
              item.append(who, said);
              thread.append(item);
              thread.scrollTop = thread.scrollHeight;
              return item;
            }
            function detail(item, label, value) {
              var block = item.querySelector("pre." + label) || document.createElement("pre");
              block.className = "tool " + label;
              block.textContent = label + ": " + JSON.stringify(value);
              item.append(block);
            }
            function tool(frame) {
              // Words after a tool are a new turn: the answer so far stays above it.
              quiet();
              var item = tools[frame.id];
              if (!item) {
                item = tools[frame.id] = add("tool", "", "system");
                detail(item, "arguments", frame.arguments || {});
              }
              item.setAttribute("data-tool", frame.name);
              item.setAttribute("data-tool-state", frame.state);
              item.querySelector("p").textContent = frame.name + (frame.state === "done" ? " answered" : " running…");
              if (frame.state === "done") detail(item, "result", frame.result);
              thread.scrollTop = thread.scrollHeight;
            }
            function finished(why) {
              ended = true;
              button.disabled = true;
              state.textContent = why;
            }
            socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + lab.getAttribute("data-voice-lab"));
            socket.addEventListener("open", function () {
              var session = "VX" + Array.from(crypto.getRandomValues(new Uint8Array(16)), function (b) { return b.toString(16).padStart(2, "0"); }).join("");
              socket.send(JSON.stringify({ type: "setup", sessionId: session, callSid: lab.getAttribute("data-call-sid"), from: lab.getAttribute("data-from"),
                to: lab.getAttribute("data-to"), direction: "inbound", callType: "PSTN", callStatus: "IN-PROGRESS",
                customParameters: { callId: lab.getAttribute("data-call-id") } }));
              state.textContent = "Connected: type what the caller says.";
              button.disabled = false;
              box.focus();
            });
            socket.addEventListener("message", function (message) {
              var frame;
              try { frame = JSON.parse(message.data); } catch (error) { return; }
              if (frame.type === "text") {
                if (cutOff) return;
                if (frame.token) {
                  // Busy while it grows: a screen reader reads the answer once, whole, not a word at a time.
                  if (!speaking) { speaking = add("agent", ""); speaking.setAttribute("aria-busy", "true"); heard = ""; }
                  heard += frame.token;
                  speaking.querySelector("p").textContent = heard;
                  thread.scrollTop = thread.scrollHeight;
                }
                if (frame.last) { if (speaking) speaking.setAttribute("data-done", ""); quiet(); }
              } else if (frame.type === "lab.interrupted") {
                cutOff = false;
              } else if (frame.type === "lab.tool") {
                tool(frame);
              } else if (frame.type === "language") {
                language = frame.ttsLanguage || language;
                add("system", "The agent now speaks and listens in " + language + ".");
              } else if (frame.type === "end") {
                var handoff = {};
                try { handoff = JSON.parse(frame.handoffData || "{}"); } catch (error) {}
                add("system", handoff.reasonCode === "live-agent-handoff"
                  ? "The agent handed the call to a person (" + (handoff.reason || "asked for") + ")."
                  : "The agent ended the call (" + (handoff.reason || "done") + ").");
                finished("The agent ended the conversation: hang up to see the call's record.");
                socket.close(1000);
              }
            });
            socket.addEventListener("close", function (event) {
              button.disabled = true;
              if (!ended) state.textContent = "Disconnected (" + event.code + "): reload the page to pick the conversation up again.";
            });
            form.addEventListener("submit", function (event) {
              event.preventDefault();
              var words = box.value.trim();
              if (!words || ended || socket.readyState !== WebSocket.OPEN) return;
              if (speaking) {
                // The caller speaks over the agent: Twilio reports what was heard of its answer until then.
                socket.send(JSON.stringify({ type: "interrupt", utteranceUntilInterrupt: heard, durationUntilInterruptMs: 0 }));
                var tag = document.createElement("span");
                tag.className = "tag";
                tag.textContent = "interrupted";
                speaking.querySelector(".author").after(tag);
                quiet();
                cutOff = true;
              }
              add("caller", words, "visitor");
              socket.send(JSON.stringify({ type: "prompt", voicePrompt: words, lang: language, last: true }));
              box.value = "";
            });
          }
          if (document.readyState !== "loading") start(); else document.addEventListener("DOMContentLoaded", start);
        })();
        """
}
