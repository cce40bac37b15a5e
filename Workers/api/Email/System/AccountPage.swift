import OzziRuntime

/// The small pages account emails link to. The token rides in the URL's fragment, which a browser never
/// sends, so no access log, proxy or `Referer` sees it; the page's script reads it and POSTs it to the
/// route that spends it, only when the person presses the button (a mail scanner that opens links spends
/// nothing).
enum AccountPage {
    /// The page an invitation's link opens: one button that accepts it for the signed-in account, then says
    /// "You joined <the answer's name>." (a workspace and a community invitation answer with one).
    static func invitation(title: String, intro: String, button: String) -> Response {
        response(title: title, body: """
            <p>\(HTMLEscape.escape(intro))</p>
            <button id="go" type="button">\(HTMLEscape.escape(button))</button>
            """, script: """
            const go = document.getElementById('go');
            if (!token) { go.hidden = true; note('This address has no invitation token: open the link you were sent again.'); }
            go.onclick = async () => {
              go.disabled = true;
              const result = await post(location.pathname, {token});
              go.disabled = false;
              if (result.ok) { go.hidden = true; history.replaceState(null, '', location.pathname); }
              note(result.ok ? 'You joined ' + result.answer.name + '.'
                   : result.status === 401 ? 'Sign in first (or sign up), then open this link again.' : result.message);
            };
            """)
    }

    /// A page with a title, its body's HTML (static: no request value is ever put into it), and its script.
    static func response(title: String, body: String, script: String) -> Response {
        var response = Response.html("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <meta name="referrer" content="no-referrer"><title>\(HTMLEscape.escape(title)) · Ozzi</title>
            <style>body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#1f2933;max-width:28rem;margin:3rem auto;padding:0 1rem;line-height:1.5}
            input,button{font:inherit;padding:.5rem .75rem;margin:.25rem 0}input{width:100%;box-sizing:border-box}
            button{background:#2f5bea;color:#fff;border:0;border-radius:6px;cursor:pointer}button:disabled{opacity:.6}</style>
            </head><body>
            <h1>\(HTMLEscape.escape(title))</h1>
            \(body)
            <p id="note" role="status"></p>
            <script>
            const token = new URLSearchParams(location.hash.slice(1)).get('token');
            const note = (text) => { document.getElementById('note').textContent = text; };
            // The signed-in session's CSRF token, which a change made with the session cookie carries ('' without one).
            async function csrf() {
              try { const r = await fetch('/console/csrf', {credentials: 'same-origin'}); return r.ok ? (await r.json()).token : ''; }
              catch (e) { return ''; }
            }
            // Sends `body` as JSON to `path`; answers the parsed answer and whether it succeeded.
            async function post(path, body) {
              const response = await fetch(path, {method: 'POST', credentials: 'same-origin',
                headers: {'content-type': 'application/json', 'x-csrf-token': await csrf()}, body: JSON.stringify(body)});
              const answer = await response.json().catch(() => ({}));
              return {ok: response.ok, status: response.status, answer,
                      message: (answer.error && answer.error.message) || 'Something went wrong (' + response.status + '); try again.'};
            }
            \(script)
            </script>
            </body></html>
            """)
        response.headers.add("Cache-Control", "no-store")
        response.headers.add("Referrer-Policy", "no-referrer")
        return response
    }
}
