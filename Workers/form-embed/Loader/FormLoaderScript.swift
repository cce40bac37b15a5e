import OzziRuntime

// The loader customers include with the form's snippet (`/loader.js?key=`). Plain JavaScript, compact
// because every visitor of every embedding page downloads it; the explanation lives here.
//
// - The form's iframe goes into each `[data-ozzi-form="KEY"]` on the page, or after the script tag when
//   there is none. Its origin and mount path come from the script's own URL.
// - Nothing is drawn on a page whose origin the form does not allow (the iframe's CSP would refuse anyway).
// - The iframe's URL carries the form's key, the page's address (the submission's referrer), its utm_*
//   parameters and the values of the form's hidden fields the page's URL names: no token, no secret.
// - Messages from the iframe are taken only from that iframe's window and the form's origin, and only of
//   the known shapes: `resize` sets the frame's height to its content (as Tally's embed does), `loaded`
//   and `submitted` become events on the host page — `ozzi-form:loaded` / `ozzi-form:submitted`
//   CustomEvents on the slot (they bubble), and `OzziForms.on("submitted", fn)`. A configured redirect is
//   followed here, by the page that owns the window.
enum FormLoaderScript {
    static func source(config: String) -> String {
        "(function(C){\"use strict\";" + OriginMatch.javaScript + body + "})(" + config + ");\n"
    }

    private static let body = #"""
        var w=window,d=document,s=d.currentScript;
        if(!s){var all=d.getElementsByTagName("script");for(var i=0;i<all.length;i++){if(all[i].src.indexOf("/loader.js?key="+C.key)>=0)s=all[i];}}
        var u=new URL(s.src,location.href),O=u.origin,B=O+u.pathname.replace(/\/loader\.js$/,"");
        var F=w.OzziForms;if(!F||!F.__ozzi){var q=F&&F.q||[];F=w.OzziForms={__ozzi:true,L:{loaded:[],submitted:[]},
        on:function(n,f){if(F.L[n]&&typeof f==="function")F.L[n].push(f);}};q.forEach(function(c){if(c[0]==="on")F.on.apply(F,c[1]||[]);});}
        if(!C.origins.some(function(p){return admits(p,location.origin);})){console.warn("OzziForms: "+location.origin+" is not among this form's allowed origins");return;}
        var slots=[].slice.call(d.querySelectorAll("[data-ozzi-form]")).filter(function(e){return e.getAttribute("data-ozzi-form")===C.key&&!e.__ozzi;});
        if(!slots.length){var x=d.createElement("div");x.setAttribute("data-ozzi-form",C.key);s.parentNode.insertBefore(x,s.nextSibling);slots=[x];}
        var page=new URLSearchParams(location.search),frames=[];
        slots.forEach(function(slot){slot.__ozzi=true;var p=new URLSearchParams();p.set("key",C.key);p.set("page",location.origin+location.pathname);
        page.forEach(function(v,k){if(k.indexOf("utm_")===0||C.hidden.indexOf(k)>=0)p.set(k,v.slice(0,500));});
        var f=d.createElement("iframe");f.src=B+"/embed?"+p.toString();f.title=C.name||"Form";f.setAttribute("scrolling","no");
        var st={width:"100%",height:"160px",border:"0",display:"block",overflow:"hidden"};for(var k in st)f.style[k]=st[k];
        slot.appendChild(f);frames.push({f:f,slot:slot});});
        function emit(n,slot,detail){F.L[n].forEach(function(g){try{g(detail);}catch(e){setTimeout(function(){throw e;});}});
        slot.dispatchEvent(new CustomEvent("ozzi-form:"+n,{bubbles:true,detail:detail}));}
        w.addEventListener("message",function(e){if(e.origin!==O)return;var hit=null;frames.forEach(function(x){if(x.f.contentWindow===e.source)hit=x;});if(!hit)return;
        var m=e.data;if(!m||typeof m!=="object"||typeof m.type!=="string")return;
        if(m.type==="ozzi-form:resize"&&typeof m.height==="number"&&isFinite(m.height))hit.f.style.height=Math.min(Math.max(Math.ceil(m.height),40),20000)+"px";
        else if(m.type==="ozzi-form:loaded")emit("loaded",hit.slot,{key:C.key});
        else if(m.type==="ozzi-form:submitted"){emit("submitted",hit.slot,{key:C.key});
        if(typeof m.redirect==="string"&&/^https?:\/\//i.test(m.redirect))location.assign(m.redirect);}});
        """#
}
