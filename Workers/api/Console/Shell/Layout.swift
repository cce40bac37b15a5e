import OzziRuntime

/// The frame of every console page: the document head (the console's one stylesheet and one script, both
/// its own), a skip link, the header with the sections, the workspace switcher and sign-out, then `main`.
/// Landmarks, labels and focus order are what a screen reader and a keyboard need; the stylesheet makes
/// one column of it on a phone.
enum Layout {
    static func signedIn(_ viewer: ConsoleViewer, workspaces: [Workspace], title: String, section: ConsoleSection?, _ main: HTML) -> HTML {
        let current = viewer.principal.workspace.id
        let options = workspaces.map { workspace -> HTML in
            "<option value=\"\(workspace.id)\"\(HTML.when(workspace.id == current, " selected"))>\(workspace.name)</option>"
        }
        let links = ConsoleSection.shown(to: viewer).map { item -> HTML in
            "<li><a href=\"\(item.path)\"\(HTML.when(item == section, " aria-current=\"page\""))>\(item.title)</a></li>"
        }
        let header: HTML = """
            <header class="bar">
            <a class="brand" href="/console">Ozzi</a>
            <nav aria-label="Sections"><ul>\(links)</ul></nav>
            <div class="who">
            <form method="post" action="/console/workspace" class="switch" data-autosubmit>\(csrfField(viewer))
            <label for="workspace-switch">Workspace</label>
            <select id="workspace-switch" name="workspace_id">\(options)</select>
            <button type="submit" class="quiet">Switch</button></form>
            <span class="email">\(viewer.principal.user.email ?? "")</span>
            <form method="post" action="/console/signout">\(csrfField(viewer))<button type="submit" class="quiet">Sign out</button></form>
            </div>
            </header>
            """
        return document(title: title, csrf: viewer.csrf, header: header, main)
    }

    static func signedOut(title: String, _ main: HTML) -> HTML {
        document(title: title, csrf: nil, header: "<header class=\"bar\"><a class=\"brand\" href=\"/\">Ozzi</a></header>", main)
    }

    /// The hidden field every signed-in form carries.
    static func csrfField(_ viewer: ConsoleViewer) -> HTML {
        "<input type=\"hidden\" name=\"\(CSRFTokens.field)\" value=\"\(viewer.csrf)\">"
    }

    private static func document(title: String, csrf: String?, header: HTML, _ main: HTML) -> HTML {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title) · Ozzi</title>\(csrf.map { "<meta name=\"csrf-token\" content=\"\($0)\">" as HTML } ?? .empty)
        <link rel="stylesheet" href="\(ConsoleAssets.stylesheetPath)"><script src="\(ConsoleAssets.scriptPath)" defer></script>
        </head><body>
        <a class="skip" href="#main">Skip to content</a>
        \(header)
        <main id="main" tabindex="-1">\(main)</main>
        </body></html>
        """
    }
}
