import OzziRuntime

/// `/api/v1/communities`: communities with channels of live messages, roles with permission sets,
/// moderation (timeouts, bans, a review queue, an audit log), reputation, and a live socket per community.
struct CommunitiesDomain: APIDomain {
    let communities: CommunityStore
    let members: CommunityMemberStore
    let channels: ChannelStore
    let messages: CommunityMessageStore
    let moderation: ModerationStore
    let review: ReviewStore
    let files: CommunityFileStore
    let joining: JoiningStore
    let directory: CommunityDirectory
    let systemEmail: SystemEmailSender
    let publicURL: String
    let live: CommunityLive
    let events: WorkspaceEvents
    let database: any SQLDatabase
    let clock: any WallClock

    init(_ api: APIEnvironment) throws {
        live = CommunityLive(database: api.database, pubsub: try api.env.pubsub("LIVE"))
        communities = CommunityStore(database: api.database, clock: api.clock, live: live)
        members = CommunityMemberStore(database: api.database, clock: api.clock, live: live)
        channels = ChannelStore(database: api.database, clock: api.clock, live: live)
        messages = CommunityMessageStore(database: api.database, clock: api.clock, live: live)
        moderation = ModerationStore(database: api.database, clock: api.clock, live: live, jobs: try api.env.queue("JOBS"))
        review = ReviewStore(database: api.database, clock: api.clock, live: live)
        files = CommunityFileStore(database: api.database, clock: api.clock, bucket: try api.env.bucket("FILES"))
        joining = JoiningStore(database: api.database, clock: api.clock, live: live)
        directory = CommunityDirectory(database: api.database, clock: api.clock)
        systemEmail = api.systemEmail
        publicURL = api.publicURL
        events = api.events
        database = api.database
        clock = api.clock
    }

    func routes(_ v1: RouteGroup) {
        let communities = v1.group("/communities").announcing(events)
        communities.addCommunityRoutes(self)
        communities.addChannelRoutes(self)
        communities.addCommunityMessageRoutes(self)
        communities.addModerationRoutes(self)
        communities.addReviewRoutes(self)
        communities.addCommunityFileRoutes(self)
        communities.addReputationRoutes(self)
        communities.addJoiningRoutes(self)
        v1.group("/community-invitations").announcing(events).addInvitationAcceptRoutes(self)
    }

    func jobs(_ jobs: inout JobHandlers) {
        jobs.each(RestrictionEndsJob.self) { job, _ in try await moderation.lift(job) }
    }

    /// Lifts timeouts and bans whose job was lost, drops week-old live changes, and sweeps files (uploads
    /// never posted, and objects whose rows are gone).
    func maintain() async throws {
        try await moderation.liftEnded()
        try await live.sweep(nowMs: clock.milliseconds)
        try await files.sweep(nowMs: clock.milliseconds)
    }

    var publishes: [String] {
        ["community.created", "community.deleted"] + CommunityEvent.types.map(CommunityEvent.workspaceType)
    }

    /// The caller's standing in community `id`; 404 when to them it does not exist.
    func access(_ principal: Principal, _ id: String) async throws -> CommunityAccess {
        guard let access = try await communities.access(principal, id: id) else { throw APIError.notFound("community") }
        return access
    }

    /// As `access`, for what only members (or the workspace's admins) may do: 403 for others who can see it.
    func member(_ principal: Principal, _ id: String) async throws -> CommunityAccess {
        let access = try await access(principal, id)
        guard access.role != nil else { throw APIError.forbidden("join this community first") }
        return access
    }

    /// Channel `id` of the community, as the caller sees it; 404 when it is not there for them.
    func channel(_ access: CommunityAccess, _ id: String) async throws -> ChannelRow {
        guard let row = try await channels.get(access, id: id) else { throw APIError.notFound("channel") }
        return row
    }
}
