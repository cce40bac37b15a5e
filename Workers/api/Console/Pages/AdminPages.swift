import OzziRuntime

/// The platform admins' page (`ozzi admin grant`): delivery across every workspace, and the study books.
/// Everyone else is refused with 403, as the admin API refuses them, and does not see it in the navigation.
extension ConsolePages {
    func addAdminPages(_ console: ConsoleDomain) {
        let shell = console.shell

        get("/console/admin") { request, _, viewer in
            try viewer.principal.requirePlatformAdmin()
            let window = try MessageStats.window(request)
            let report = try await console.domains.messaging.stats.report(nil, window: window)
            let books = try await console.books.books(publishedOnly: false, page: PageRequest(limit: 100, after: nil))
            return try await shell.page(viewer, title: "Platform", section: .admin, AdminViews.page(report, window: window, books: Array(books.prefix(100))))
        }

        get("/console/admin/books/:id") { _, context, viewer in
            try viewer.principal.requirePlatformAdmin()
            guard let book = try await console.books.book(context.parameter("id")) else { throw APIError.notFound("book") }
            let lessons = try await console.books.lessons(bookID: book.id, workspaceID: nil, activeOnly: false)
            return try await shell.page(viewer, title: book.title, section: .admin, AdminViews.book(viewer, book, lessons: lessons))
        }

        post("/console/admin/books/:id") { _, context, viewer, form in
            try viewer.principal.requirePlatformAdmin()
            guard try await console.books.updateBook(context.parameter("id"), title: nil, description: nil, coverText: nil, active: nil,
                                                     published: form["published"] == "1") != nil else { throw APIError.notFound("book") }
            return ConsoleShell.redirect("/console/admin/books/" + context.parameter("id"))
        }
    }
}
