import OzziRuntime

/// The markup of the form pages: the list, the builder (fields with edit, move and remove; adding a field;
/// settings; the form as the embed shows it, framed; the snippet), and the submissions.
enum FormViews {
    static func list(_ viewer: ConsoleViewer, _ forms: [Form], error: String?, name: String, origin: String) -> HTML {
        let rows = forms.map { form -> HTML in
            """
            <tr><td data-label="Name"><a href="/console/forms/\(form.id)">\(form.name)</a></td>
            <td data-label="Fields">\(form.definition.fields.count)</td>
            <td data-label="State"><span class="tag">\(form.enabled ? "on" : "off")</span></td>
            <td data-label="Submissions"><a href="/console/forms/\(form.id)/submissions">Submissions<span class="visually-hidden"> to \(form.name)</span></a></td></tr>
            """
        }
        return """
            <h1>Forms</h1>
            \(forms.isEmpty ? "<p class=\"panel\">No forms yet.</p>" as HTML : """
                <table class="rows"><caption class="visually-hidden">Forms</caption>
                <thead><tr><th scope="col">Name</th><th scope="col">Fields</th><th scope="col">State</th><th scope="col"><span class="visually-hidden">Submissions</span></th></tr></thead>
                <tbody>\(rows)</tbody></table>
                """)
            <section class="panel" aria-labelledby="new-form"><h2 id="new-form">New form</h2>
            \(error.map { "<p class=\"error\" role=\"alert\">\($0)</p>" as HTML } ?? .empty)
            <form method="post" action="/console/forms">\(Layout.csrfField(viewer))
            <div class="grid2">
            <div><label for="form-name">Name</label><input id="form-name" name="name" type="text" required maxlength="100" value="\(name)" autocomplete="off"></div>
            <div><label for="form-origin">The site that embeds it</label>
            <input id="form-origin" name="origin" type="text" required value="\(origin)" placeholder="https://shop.example" aria-describedby="origin-hint" autocomplete="off">
            <p class="hint" id="origin-hint">Only pages of this origin may show the form and send it; more can be added later.</p></div>
            </div>
            <div class="actions"><button type="submit">Create the form</button></div>
            </form></section>
            """
    }

    static let kinds: [(FormField.Kind, String)] = [
        (.text, "Short text"), (.textarea, "Long text"), (.email, "Email"), (.phone, "Phone"), (.number, "Number"), (.date, "Date"),
        (.select, "Drop-down"), (.radio, "One of several"), (.multi_select, "Several of several"), (.checkbox, "Tick box"),
        (.consent, "Consent to messages"), (.hidden, "Hidden"),
    ]

    static let contactTargets = [("", "Nothing"), ("name", "Name"), ("first_name", "First name"), ("last_name", "Last name"), ("email", "Email"),
                                 ("phone", "Phone"), ("notes", "Notes")]

    /// A field's inputs, for adding (`suffix` "new") or editing field `suffix`.
    static func fieldInputs(_ draft: FormFieldDraft, suffix: String) -> HTML {
        let kinds = Self.kinds.map { kind, label -> HTML in "<option value=\"\(kind.rawValue)\"\(HTML.when(kind == draft.kind, " selected"))>\(label)</option>" }
        let targets = contactTargets.map { value, label -> HTML in "<option value=\"\(value)\"\(HTML.when(value == draft.mapsTo, " selected"))>\(label)</option>" }
        return """
            <div class="grid2">
            <div><label for="label-\(suffix)">Label</label><input id="label-\(suffix)" name="label" type="text" value="\(draft.label)" autocomplete="off"></div>
            <div><label for="type-\(suffix)">Type</label><select id="type-\(suffix)" name="type">\(kinds)</select></div>
            <div><label for="key-\(suffix)">Key</label><input id="key-\(suffix)" name="key" type="text" value="\(draft.key)" placeholder="From the label" autocomplete="off"></div>
            <div><label for="maps-\(suffix)">Fills the contact's</label><select id="maps-\(suffix)" name="maps_to">\(targets)</select></div>
            </div>
            <label for="help-\(suffix)">Help text</label><input id="help-\(suffix)" name="help" type="text" value="\(draft.help)" autocomplete="off">
            <label for="options-\(suffix)">Choices, one a line (drop-downs and choices)</label>
            <textarea id="options-\(suffix)" name="options" rows="3">\(draft.options.joined(separator: "\n"))</textarea>
            <label class="check"><input type="checkbox" name="required" value="1"\(HTML.when(draft.required, " checked"))> Required</label>
            <fieldset class="choice"><legend>A consent box opts in to</legend>
            <label><input type="radio" name="channel" value="sms"\(HTML.when(draft.channel == "sms", " checked"))> SMS</label>
            <label><input type="radio" name="channel" value="email"\(HTML.when(draft.channel == "email", " checked"))> Email</label></fieldset>
            """
    }

    static func builder(_ viewer: ConsoleViewer, _ form: Form, embedURL: String, snippet: String, adding: FormFieldDraft, error: String?) -> HTML {
        let fields = form.definition.fields
        let items = fields.enumerated().map { index, field -> HTML in
            func move(_ op: String, _ label: String, _ shown: Bool) -> HTML {
                HTML.when(shown, "<button type=\"submit\" name=\"op\" value=\"\(op)\" class=\"small\" aria-label=\"\(label) \(field.label.isEmpty ? field.key : field.label)\">\(label)</button>")
            }
            return """
                <li class="field-row" data-key="\(field.key)">
                <div class="field-head"><span class="field-label">\(field.label.isEmpty ? field.key : field.label)</span>
                <span class="tag">\(kinds.first { $0.0 == field.kind }?.1 ?? field.kind.rawValue)</span>\(HTML.when(field.required, " <span class=\"tag\">required</span>"))
                <form method="post" action="/console/forms/\(form.id)/fields" class="inline-actions">\(Layout.csrfField(viewer))
                <input type="hidden" name="index" value="\(index)"><input type="hidden" name="version" value="\(form.version)">
                \(move("up", "Up", index > 0))\(move("down", "Down", index < fields.count - 1))\(move("remove", "Remove", fields.count > 1))
                </form></div>
                <details><summary>Edit<span class="visually-hidden"> \(field.label.isEmpty ? field.key : field.label)</span></summary>
                <form method="post" action="/console/forms/\(form.id)/fields">\(Layout.csrfField(viewer))
                <input type="hidden" name="index" value="\(index)"><input type="hidden" name="version" value="\(form.version)">
                \(fieldInputs(FormFieldDraft(field), suffix: String(index)))
                <div class="actions"><button type="submit" name="op" value="edit">Save the field</button></div>
                </form></details>
                </li>
                """
        }
        let settings = form.definition.settings
        return """
            <p><a href="/console/forms">All forms</a> · <a href="/console/forms/\(form.id)/submissions">Submissions</a></p>
            <h1>\(form.name)</h1>
            \(error.map { "<p class=\"error\" role=\"alert\">\($0)</p>" as HTML } ?? .empty)
            <div class="grid2">
            <div>
            <section class="panel" aria-labelledby="fields-heading"><h2 id="fields-heading">Fields</h2>
            <p class="hint">Version \(form.version). Each change makes a new version; submissions keep the one they answered.</p>
            <ol class="fields">\(items)</ol>
            </section>
            <section class="panel" aria-labelledby="add-field"><h2 id="add-field">Add a field</h2>
            <form method="post" action="/console/forms/\(form.id)/fields">\(Layout.csrfField(viewer))
            <input type="hidden" name="version" value="\(form.version)">
            \(fieldInputs(adding, suffix: "new"))
            <div class="actions"><button type="submit" name="op" value="add">Add the field</button></div>
            </form></section>
            <section class="panel" aria-labelledby="settings-heading"><h2 id="settings-heading">Settings</h2>
            <form method="post" action="/console/forms/\(form.id)/settings">\(Layout.csrfField(viewer))
            <input type="hidden" name="version" value="\(form.version)">
            <label for="submit-label">Button</label><input id="submit-label" name="submit_label" type="text" value="\(settings.submitLabel)">
            <label for="success-message">After sending, the visitor reads</label>
            <textarea id="success-message" name="success_message" rows="2">\(settings.successMessage)</textarea>
            <label for="allowed-origins">Sites that may embed it, one a line</label>
            <textarea id="allowed-origins" name="allowed_origins" rows="2">\(settings.allowedOrigins.map(\.description).joined(separator: "\n"))</textarea>
            <label class="check"><input type="checkbox" name="enabled" value="1"\(HTML.when(form.enabled, " checked"))> On: the form shows and takes submissions</label>
            <div class="actions"><button type="submit">Save the settings</button></div>
            </form></section>
            </div>
            <div>
            <section class="panel" aria-labelledby="preview-heading"><h2 id="preview-heading">As your site shows it</h2>
            \(form.enabled ? "<iframe class=\"form-preview\" title=\"The form \(form.name) as the embed shows it\" src=\"\(embedURL)/embed?key=\(form.publicKey)&amp;preview=1\"></iframe>" as HTML
                           : "<p class=\"hint\">The form is off: turn it on to see it.</p>")
            </section>
            <section class="panel" aria-labelledby="snippet-heading"><h2 id="snippet-heading">Put it on your site</h2>
            <p class="hint">Paste this where the form goes, on a page of an allowed site.</p>
            <label for="snippet">Snippet</label>
            <textarea id="snippet" rows="3" readonly>\(snippet)</textarea>
            </section>
            </div>
            </div>
            """
    }

    /// The origin of a URL (`https://forms.example:8443/x` -> `https://forms.example:8443`).
    static func origin(of formsURL: String) -> String {
        guard let scheme = formsURL.range(of: "://") else { return "'self'" }
        let rest = formsURL[scheme.upperBound...]
        return String(formsURL[..<scheme.upperBound]) + String(rest.prefix { $0 != "/" })
    }

    /// A refusal of the edited fields, naming the field by its label rather than its place: the API names the
    /// place (`fields[2].options`) in its details and starts its message with it.
    static func explain(_ error: APIError, fields: [JSONValue]) -> String {
        guard let place = error.details?["field"]?.stringValue, place.hasPrefix("fields["), error.message.hasPrefix(place + ": "),
              let close = place.firstIndex(of: "]"), let index = Int(place.dropFirst("fields[".count).prefix { $0 != "]" }),
              fields.indices.contains(index) else { return error.message }
        let label = fields[index]["label"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? fields[index]["key"]?.stringValue ?? "#\(index + 1)"
        let setting = place[place.index(after: close)...].drop { $0 == "." }
        return "The field \u{201C}\(label)\u{201D}" + (setting.isEmpty ? "" : " (\(setting))") + ": " + error.message.dropFirst(place.count + 2)
    }

    static func submissionsPart(_ id: String) -> LivePart {
        LivePart(name: "submissions", events: ["form.submitted", "form.submission_deleted", "form.action_failed"], key: "form_id", id: id)
    }

    static func submissions(_ form: Form, rows: HTML) -> HTML {
        """
        <p><a href="/console/forms">All forms</a> · <a href="/console/forms/\(form.id)">Edit the form</a></p>
        <h1>Submissions to \(form.name)</h1>
        <p><a href="/api/v1/forms/\(form.id)/submissions.csv" download>Download as CSV</a></p>
        \(submissionsPart(form.id).html(rows))
        """
    }

    static func submissionRows(_ form: Form, _ page: Page<FormSubmission>, request: Request) -> HTML {
        guard !page.data.isEmpty else { return "<p class=\"panel\">No submissions yet.</p>" }
        let fields = form.definition.fields.filter { $0.kind != .hidden }
        let head = fields.map { field -> HTML in "<th scope=\"col\">\(field.label.isEmpty ? field.key : field.label)</th>" }
        let rows = page.data.map { submission -> HTML in
            let cells = fields.map { field -> HTML in
                "<td data-label=\"\(field.label.isEmpty ? field.key : field.label)\">\(FormSubmission.text(of: submission.answers[field.key]))</td>"
            }
            return """
                <tr><td data-label="When"><time datetime="\(submission.created_at)">\(submission.created_at)</time></td>\(cells)
                <td data-label="Contact">\(submission.contact_id.map { "<a href=\"/console/contacts/\($0)\">Contact</a>" as HTML } ?? "—")</td></tr>
                """
        }
        return """
            <div class="scroll"><table class="rows"><caption class="visually-hidden">Submissions, newest first</caption>
            <thead><tr><th scope="col">When</th>\(head)<th scope="col">Contact</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>\(NextPageLink.html("/console/forms/\(form.id)/submissions", request: request, cursor: page.next_cursor, label: "Older submissions", drop: ["part"]))
            """
    }
}
