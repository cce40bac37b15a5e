/// `admits(pattern, origin)` in JavaScript, one text for both pages that check an origin against the
/// widget's: the loader (is this page one the widget may be on?) and the iframe (is its parent?). A pattern is
/// an origin as the api stores it (`WidgetOrigin`): the same origin, or `scheme://*.domain[:port]` for any
/// subdomain of the domain (not the domain itself) with that scheme and port.
enum OriginMatch {
    static let javaScript = #"""
        function admits(p,o){if(p===o)return true;var i=p.indexOf("://*.");if(i<0)return false;var sc=p.slice(0,i+3);if(o.slice(0,sc.length)!==sc)return false;
        var r=p.slice(i+5),h=o.slice(sc.length),pc=r.indexOf(":"),hc=h.lastIndexOf(":");var pp=pc<0?"":r.slice(pc),hp=hc<0?"":h.slice(hc);
        var ph=pc<0?r:r.slice(0,pc),hh=hc<0?h:h.slice(0,hc);return pp===hp&&hh.length>ph.length+1&&hh.slice(-(ph.length+1))==="."+ph;}

        """#
}
