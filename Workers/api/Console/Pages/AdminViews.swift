import OzziRuntime

/// The markup of the platform admins' page: delivery over a window (statuses, success rate, due-to-sent
/// latency percentiles, backlog, failures by code, categories), and the study books with their lessons.
enum AdminViews {
    static let windows = ["1h", "24h", "7d", "30d", "all"]

    static func page(_ report: MessageStats.Report, window: String, books: [Book]) -> HTML {
        let windowLinks = windows.map { item -> HTML in
            "<li><a href=\"/console/admin?window=\(item)\"\(HTML.when(item == window, " aria-current=\"page\""))>\(item)</a></li>"
        }
        func seconds(_ ms: Int64?) -> String { ms.map { $0 < 1000 ? "\($0) ms" : "\(LineChart.text(Double($0) / 1000)) s" } ?? "—" }
        let statuses = report.counts.by_status.sorted { $0.key < $1.key }.map { "<tr><th scope=\"row\">\($0.key)</th><td>\($0.value)</td></tr>" as HTML }
        let failures = (report.failures_by_code ?? [:]).sorted { $0.value > $1.value }.prefix(20)
            .map { "<tr><th scope=\"row\">\($0.key)</th><td>\($0.value)</td></tr>" as HTML }
        let categories = report.by_category.map { group -> HTML in
            "<tr><th scope=\"row\">\(group.name ?? "none")</th><td>\(group.counts.total)</td><td>\(group.counts.success_rate.map { LineChart.text($0 * 100) + " %" } ?? "—")</td></tr>"
        }
        let latency = report.latency_ms
        let backlog = report.backlog
        let bookRows = books.map { book -> HTML in
            """
            <tr><td data-label="Title"><a href="/console/admin/books/\(book.id)">\(book.title)</a></td>
            <td data-label="Published">\(book.published ? "yes" : "no")</td><td data-label="Active">\(book.active ? "yes" : "no")</td></tr>
            """
        }
        return """
            <h1>Platform</h1>
            <nav aria-label="Window" class="subnav"><ul>\(windowLinks)</ul></nav>
            <section class="panel" aria-labelledby="delivery-heading"><h2 id="delivery-heading">Delivery, every workspace, \(window == "all" ? "all time" : "last " + window)</h2>
            <ul class="tiles">
            <li><span class="tile-name">Messages</span><span class="tile-value" data-stat="total">\(report.counts.total)</span></li>
            <li><span class="tile-name">Success rate</span><span class="tile-value" data-stat="success">\(report.counts.success_rate.map { LineChart.text($0 * 100) + " %" } ?? "—")</span></li>
            <li><span class="tile-name">Due to sent, p50</span><span class="tile-value" data-stat="p50">\(seconds(latency?.p50))</span></li>
            <li><span class="tile-name">Due to sent, p99</span><span class="tile-value" data-stat="p99">\(seconds(latency?.p99))</span></li>
            <li><span class="tile-name">Slowest</span><span class="tile-value">\(seconds(latency?.max))</span></li>
            <li><span class="tile-name">Due, not sent</span><span class="tile-value" data-stat="due">\(backlog?.due ?? 0)</span></li>
            <li><span class="tile-name">Scheduled</span><span class="tile-value">\(backlog?.scheduled ?? 0)</span></li>
            <li><span class="tile-name">For review</span><span class="tile-value">\(backlog?.review ?? 0)</span></li>
            </ul>
            <div class="grid2">
            <table><caption>By status</caption><thead><tr><th scope="col">Status</th><th scope="col">Messages</th></tr></thead><tbody>\(statuses)</tbody></table>
            <table><caption>Failures by code</caption><thead><tr><th scope="col">Code</th><th scope="col">Messages</th></tr></thead>
            <tbody>\(failures.isEmpty ? "<tr><td colspan=\"2\">None</td></tr>" as HTML : HTML(raw: failures.map(\.text).joined()))</tbody></table>
            </div>
            <table><caption>By category</caption><thead><tr><th scope="col">Category</th><th scope="col">Messages</th><th scope="col">Success rate</th></tr></thead>
            <tbody>\(categories)</tbody></table>
            </section>
            <section class="panel" aria-labelledby="books-heading"><h2 id="books-heading">Study books</h2>
            \(books.isEmpty ? "<p class=\"hint\">No books yet: write one through the API (POST /api/v1/admin/books).</p>" as HTML : """
                <table class="rows"><thead><tr><th scope="col">Title</th><th scope="col">Published</th><th scope="col">Active</th></tr></thead><tbody>\(bookRows)</tbody></table>
                """)
            </section>
            """
    }

    static func book(_ viewer: ConsoleViewer, _ book: Book, lessons: [Lesson]) -> HTML {
        let items = lessons.map { lesson -> HTML in
            let messages = (lesson.messages ?? []).map { message -> HTML in
                "<li>Day \(message.day_offset) at \(message.send_time) (\(message.type)): \(message.body)</li>"
            }
            return """
                <li><h3>\(lesson.position). \(lesson.title)\(HTML.when(!lesson.active, " <span class=\"tag\">inactive</span>"))</h3>
                <p>\(lesson.content)</p>\(HTML.when(!messages.isEmpty, "<ul>\(messages)</ul>"))</li>
                """
        }
        return """
            <p><a href="/console/admin">Platform</a></p>
            <h1>\(book.title)</h1>
            <section class="panel"><p>\(book.description)</p>
            <form method="post" action="/console/admin/books/\(book.id)" class="inline-form">\(Layout.csrfField(viewer))
            <input type="hidden" name="published" value="\(book.published ? "0" : "1")">
            <span>\(book.published ? "Published: workspaces can enrol people." : "A draft: no workspace sees it.")</span>
            <button type="submit" class="small">\(book.published ? "Unpublish" : "Publish")</button></form></section>
            <section class="panel" aria-labelledby="lessons-heading"><h2 id="lessons-heading">Lessons</h2>
            \(lessons.isEmpty ? "<p class=\"hint\">No lessons yet.</p>" as HTML : "<ol class=\"lessons\">\(items)</ol>")</section>
            """
    }
}
