import OzziRuntime

/// The markup of a CSV import: the upload form, and the report whose progress bar follows the live stream.
enum ContactImportViews {
    static func form() -> HTML {
        """
        <p><a href="/console/contacts">All contacts</a></p>
        <h1>Import contacts</h1>
        <form class="panel" method="post" action="/api/v1/contacts/imports" enctype="text/csv" data-import-upload>
        <p class="error" role="alert" id="import-error" hidden></p>
        <label for="import-file">CSV file</label>
        <input id="import-file" name="file" type="file" accept=".csv,text/csv" required aria-describedby="import-hint">
        <p class="hint" id="import-hint">A header row, then one contact a row. Columns named name, first_name, last_name, phone,
        email or notes are used; a row needs a phone or an email. Up to 100,000 rows.</p>
        <label for="import-duplicates">A row whose phone (or email) is already a contact</label>
        <select id="import-duplicates" name="on_duplicate"><option value="skip">is skipped</option><option value="update">updates that contact</option></select>
        <div class="actions"><button type="submit">Import</button></div>
        <noscript><p class="hint">Importing from this page needs JavaScript; without it, send the file to the API:
        <code>curl -X POST --data-binary @contacts.csv -H "content-type: text/csv" .../api/v1/contacts/imports</code>.</p></noscript>
        </form>
        """
    }

    /// The whole report page: `report(_:)` inside, and the live stream's hook.
    static func page(_ report: ContactImport) -> HTML {
        """
        <p><a href="/console/contacts">All contacts</a> · <a href="/console/contacts/import">Import another file</a></p>
        <h1>Contact import</h1>
        <div id="import-report" data-import-progress="\(report.id)" data-status="\(report.status)">\(self.report(report))</div>
        """
    }

    /// What the page shows of it now; the script replaces it with the same from `?part=report` when it ends.
    static func report(_ report: ContactImport) -> HTML {
        let running = report.status == "running"
        let bar: HTML = running
            ? "<progress id=\"import-bar\" max=\"100\" aria-labelledby=\"import-state\"></progress>"
            : "<progress id=\"import-bar\" max=\"100\" value=\"100\" aria-labelledby=\"import-state\"></progress>"
        let state = running ? "Importing… \(report.rows) rows read" : report.status == "completed" ? "Done: \(report.rows) rows read" : "Failed: \(report.error ?? "the import stopped")"
        let rejected = report.rejected.prefix(500).map { "<tr><td>\($0.line)</td><td>\($0.reason)</td></tr>" as HTML }
        return """
            <div class="panel">
            <p id="import-state" role="status" aria-live="polite" data-status="\(report.status)">\(state)</p>
            \(bar) <span id="import-percent" class="count">\(running ? "" : "100%")</span>
            <dl class="facts">
            <dt>Created</dt><dd data-count="created">\(report.created)</dd>
            <dt>Updated</dt><dd data-count="updated">\(report.updated)</dd>
            <dt>Skipped</dt><dd data-count="skipped">\(report.skipped)</dd>
            <dt>Rejected</dt><dd data-count="rejected">\(report.rejected.count)</dd>
            </dl></div>
            \(HTML.when(!running && !report.rejected.isEmpty, """
                <section class="panel" aria-labelledby="rejected-rows"><h2 id="rejected-rows">Rows not imported</h2>
                <table><thead><tr><th scope="col">Line</th><th scope="col">Why</th></tr></thead><tbody>\(rejected)</tbody></table>
                \(HTML.when(report.rejected.count > 500, "<p class=\"hint\">The first 500 are shown; the API's report has all \(report.rejected.count).</p>"))
                </section>
                """))
            """
    }
}
