import OzziRuntime

/// `/api/v1/contacts`: contacts, full-text search, CSV import (a `JOBS` queue job) and export, bulk changes.
struct ContactsDomain: APIDomain {
    let contacts: ContactStore
    let groups: GroupStore
    let importer: ContactImporter
    let events: WorkspaceEvents
    let defaultCountry: String
    let clock: any WallClock

    init(_ api: APIEnvironment) throws {
        contacts = ContactStore(database: api.database, clock: api.clock)
        groups = GroupStore(database: api.database, clock: api.clock)
        importer = ContactImporter(database: api.database, bucket: try api.env.bucket("FILES"), queue: try api.env.queue("JOBS"), events: api.events, clock: api.clock,
                                   defaultCountry: api.defaultCountry, logger: api.logger)
        events = api.events
        defaultCountry = api.defaultCountry
        clock = api.clock
    }

    func routes(_ v1: RouteGroup) {
        let contacts = v1.group("/contacts").announcing(events)
        contacts.addContactBulkRoutes(self)
        contacts.addContactRoutes(self)
    }

    func jobs(_ jobs: inout JobHandlers) {
        jobs.each(ContactImportJob.self) { job, _ in
            try await importer.run(importID: job.importID, workspaceID: job.workspaceID)
        }
    }

    var publishes: [String] { ["contact.created", "contact.updated", "contact.deleted", "contact_import.progress", "contact_import.finished"] }
}
