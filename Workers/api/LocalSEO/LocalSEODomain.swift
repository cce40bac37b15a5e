import Logging
import OzziRuntime

/// `/api/v1/seo`: local rank tracking. Businesses, trackers (keywords over a grid around a business, on a
/// schedule), scans run through a maps search provider (Serper, or the simulated default), their metrics,
/// competitors and heatmaps, and each keyword's trend.
struct LocalSEODomain: APIDomain {
    let businesses: SEOBusinessStore
    let trackers: SEOTrackerStore
    let scans: SEOScanStore
    let runner: ScanRunner
    let clock: any WallClock

    /// Scheduled scans start at 06:00 UTC (`ozzi trigger api "0 6 * * *"` runs them by hand).
    static let cron = "0 6 * * *"

    init(_ api: APIEnvironment) throws {
        let env = api.env
        businesses = SEOBusinessStore(database: api.database, clock: api.clock)
        trackers = SEOTrackerStore(database: api.database, clock: api.clock)
        scans = SEOScanStore(database: api.database, clock: api.clock, jobs: try env.queue("JOBS"))
        runner = ScanRunner(database: api.database, clock: api.clock, provider: try Self.provider(env),
                            concurrency: max(1, Int(env.var("SEO_SCAN_CONCURRENCY", default: "5")) ?? 5), logger: env.logger)
        clock = api.clock
    }

    /// `SEO_PROVIDER`: `simulated` (the default) or `serper` (with the `SERPER_API_KEY` secret; `SERPER_API_BASE`).
    static func provider(_ env: WorkerEnv) throws -> any MapsSearchProvider {
        switch env.var("SEO_PROVIDER", default: "simulated") {
        case "simulated":
            return SimulatedMapsProvider()
        case "serper":
            guard let key = try? env.secret("SERPER_API_KEY"), !key.isEmpty else {
                throw APIError.badRequest("SEO_PROVIDER=serper needs the secret SERPER_API_KEY (list it in the api worker's secrets)")
            }
            return SerperMapsClient(baseURL: BaseURL.withoutTrailingSlashes(env.var("SERPER_API_BASE", default: "https://google.serper.dev")),
                                    apiKey: key, outbound: env.outbound,
                                    timeoutMilliseconds: Int(env.var("SERPER_TIMEOUT_MS", default: "15000")) ?? 15_000)
        case let other:
            throw APIError.badRequest("SEO_PROVIDER is '\(other)'; it must be simulated or serper")
        }
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/seo/businesses").addSEOBusinessRoutes(self)
        v1.group("/seo/trackers").addSEOTrackerRoutes(self)
        v1.group("/seo/scans").addSEOScanRoutes(self)
    }

    func jobs(_ jobs: inout JobHandlers) {
        jobs.each(SEOScanJob.self) { job, _ in try await runner.run(job) }
    }

    func maintain() async throws {
        try await scans.requeueLost(nowMs: clock.milliseconds)
    }

    /// At 06:00 UTC: a scan for each tracker whose schedule runs today (once per tracker and day, however
    /// often the trigger fires).
    func scheduled(_ event: ScheduledEvent) async throws {
        guard event.cron == Self.cron else { return }
        let day = Int(event.scheduledTime / 86_400)
        for (scope, tracker) in try await trackers.due(day: day) {
            _ = try await scans.start(scope, tracker, scheduledFor: CivilDate.text(day))
        }
    }

    var publishes: [String] {
        ["seo.business_created", "seo.business_updated", "seo.business_deleted", "seo.tracker_created", "seo.tracker_updated", "seo.tracker_deleted",
         "seo.scan_queued", "seo.scan_finished", "seo.scan_failed"]
    }
}
