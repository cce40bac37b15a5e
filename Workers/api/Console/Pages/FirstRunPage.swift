import OzziRuntime

/// `/` before anyone signs in: what this host runs and where, and the way in. Where the data lives on disk
/// is told only to a browser on the host's own machine (loopback, not through a proxy): a public host does
/// not show its folders to every visitor.
enum FirstRunPage {
    static func isOnThisMachine(_ request: Request) -> Bool {
        guard request.headers["x-forwarded-for"] == nil, request.headers["forwarded"] == nil, let address = IPAddress(request.clientIP) else { return false }
        return PrivateAddress.classify(address)?.reason == "loopback"
    }

    static func html(_ facts: FirstRunFacts, onThisMachine: Bool) -> HTML {
        """
        <div class="panel"><h1>Ozzi Edge is running</h1>
        <p>One host process serves the whole platform: the console you are reading, the API, and the workers that
        customers' sites and Twilio talk to. Sign in to work in the console, or create an account to start.</p>
        <div class="actions"><a class="button" href="/console/signin">Sign in</a><a href="/console/signup">Create an account</a></div>
        </div>
        <div class="panel"><h2>What runs, and where</h2>
        <table><caption class="count">Answering on \(facts.publicURL)</caption>
        <thead><tr><th scope="col">Part</th><th scope="col">Where</th><th scope="col">What it does</th></tr></thead><tbody>
        <tr><td>Console</td><td><a href="/console">\(facts.publicURL)/console</a></td><td>These pages: contacts, messages, inbox, calls and the rest.</td></tr>
        <tr><td>API</td><td><a href="/api/v1/docs">\(facts.publicURL)/api/v1</a></td><td>The JSON API the console and your services use; its reference is at /api/v1/docs.</td></tr>
        <tr><td>Chat widget</td><td>\(facts.widgetURL)</td><td>The script tag customers embed (loader.js?key=...).</td></tr>
        <tr><td>Forms</td><td>\(facts.formsURL)</td><td>Embeddable forms and their submissions.</td></tr>
        <tr><td>Voice agent</td><td>\(facts.voiceURL)</td><td>Twilio's voice webhooks and the ConversationRelay socket its AI agent speaks on.</td></tr>
        </tbody></table></div>
        <div class="panel"><h2>Where the data lives</h2>
        <dl class="facts">
        <dt>Database</dt><dd>\(facts.database)</dd>
        \(HTML.when(onThisMachine, "<dt>Data folder</dt><dd><code>\(facts.dataDirectory)</code></dd>"))
        <dt>SMS and email</dt><dd>Simulated until a workspace adds its Twilio or Resend account: nothing leaves this machine.</dd>
        <dt>Account email</dt><dd>\(facts.systemEmail == "simulated" ? "Simulated: kept in the data folder (scripts/mailbox.py ADDRESS prints a link's token)." : "Sent through \(facts.systemEmail).")</dd>
        </dl></div>
        """
    }
}
