// The iframe's style sheet (`/embed.css`). The widget's colour arrives as the --accent custom property,
// set by embed.js through the CSSOM.
enum EmbedStyle {
    static let css = #"""
        :root { --accent: #2563eb; color-scheme: light; }
        * { box-sizing: border-box; }
        html, body { height: 100%; margin: 0; }
        body { display: flex; flex-direction: column; font: 15px/1.4 system-ui, sans-serif; color: #111827; background: #fff; }
        header { display: flex; align-items: center; justify-content: space-between; padding: 14px 16px; background: var(--accent); color: #fff; }
        h1 { margin: 0; font-size: 16px; font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        #close { border: 0; background: transparent; color: inherit; font-size: 24px; line-height: 1; cursor: pointer; padding: 0 4px; }
        main { flex: 1; overflow-y: auto; padding: 12px 16px; display: flex; flex-direction: column; gap: 8px; }
        .greeting, .message { margin: 0; padding: 8px 12px; border-radius: 12px; max-width: 85%; white-space: pre-wrap; overflow-wrap: anywhere; }
        .greeting, .message.agent, .message.system { background: #f3f4f6; align-self: flex-start; }
        .message.visitor { background: var(--accent); color: #fff; align-self: flex-end; }
        .message.system { font-style: italic; }
        .message.visitor.seen::after { content: "Seen"; display: block; font-size: 11px; opacity: .8; text-align: right; }
        #email-form { display: flex; flex-wrap: wrap; gap: 6px; margin: 0 16px 8px; padding: 8px; border-radius: 8px; background: #f3f4f6; font-size: 13px; }
        #email-form[hidden] { display: none; }
        #email-form label { flex-basis: 100%; }
        #email-form input { flex: 1; font: inherit; padding: 6px; border: 1px solid #d1d5db; border-radius: 6px; }
        #email-form button { border: 0; border-radius: 6px; padding: 0 10px; background: var(--accent); color: #fff; font: inherit; cursor: pointer; }
        #typing { margin: 0 16px 6px; font-size: 13px; color: #6b7280; font-style: italic; }
        #notice { margin: 0 16px 8px; padding: 6px 10px; border-radius: 8px; background: #fef3c7; color: #92400e; font-size: 13px; }
        #compose { display: flex; gap: 8px; padding: 10px 12px; border-top: 1px solid #e5e7eb; }
        textarea { flex: 1; resize: none; font: inherit; padding: 8px; border: 1px solid #d1d5db; border-radius: 8px; }
        #send { border: 0; border-radius: 8px; padding: 0 14px; background: var(--accent); color: #fff; font: inherit; font-weight: 600; cursor: pointer; }
        .hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        """#
}
