/// `admits(pattern, origin)` in JavaScript, one text for every embed's pages that check an origin against
/// the allowed ones (the widget's and the forms'): the loader (is this page one the embed may be on?) and
/// the iframe (is its parent?). A pattern is
/// an origin as the api stores it (`WidgetOrigin`): the same origin, or `scheme://*.domain[:port]` for any
/// subdomain of the domain (not the domain itself) with that scheme and port.
public enum OriginMatch {
    public static let javaScript = #"""
        function admits(p,o){if(p===o)return true;var i=p.indexOf("://*.");if(i<0)return false;var sc=p.slice(0,i+3);if(o.slice(0,sc.length)!==sc)return false;
        var r=p.slice(i+5),h=o.slice(sc.length),pc=r.indexOf(":"),hc=h.lastIndexOf(":");var pp=pc<0?"":r.slice(pc),hp=hc<0?"":h.slice(hc);
        var ph=pc<0?r:r.slice(0,pc),hh=hc<0?h:h.slice(0,hc);return pp===hp&&hh.length>ph.length+1&&hh.slice(-(ph.length+1))==="."+ph;}

        """#
}

extension OriginMatch {
    /// `admits` in Swift, for servers checking a request's `Origin` against the same patterns.
    public static func admits(_ pattern: String, _ origin: String) -> Bool {
        if pattern == origin { return true }
        guard let star = pattern.firstRange(of: "://*.") else { return false }
        let scheme = pattern[..<star.upperBound].dropLast(2)
        guard origin.hasPrefix(scheme) else { return false }
        let rest = pattern[star.upperBound...], host = origin.dropFirst(scheme.count)
        let (patternHost, patternPort) = split(rest), (originHost, originPort) = split(host)
        return patternPort == originPort && originHost.count > patternHost.count + 1 && originHost.hasSuffix("." + patternHost)
    }

    private static func split(_ hostAndPort: Substring) -> (host: Substring, port: Substring) {
        guard let colon = hostAndPort.lastIndex(of: ":") else { return (hostAndPort, "") }
        return (hostAndPort[..<colon], hostAndPort[colon...])
    }
}
