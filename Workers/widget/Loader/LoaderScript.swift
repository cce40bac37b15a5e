// The loader customers include with a script tag (`/loader.js?key=`). Plain JavaScript in a raw string
// literal, written compact because every visitor of every embedding page downloads it; the comments that
// explain it live here, outside the text that is served.
//
// - The widget's own origin and mount path come from the script's own URL (document.currentScript), so the
//   loader needs no configuration to find its iframe, wherever the worker is mounted.
// - It refuses to draw on a page whose origin is not among the widget's allowed origins (the iframe's CSP
//   frame-ancestors would refuse to render there anyway; this spares a broken frame).
// - Launcher and panel live in a shadow root and are styled through the CSSOM (element.style), which a host
//   page's Content-Security-Policy does not block, unlike <style> elements and style attributes.
// - postMessage both ways: sent with the exact target origin; received only from the iframe's window and
//   origin, and only messages of the known shapes.
// - Calls made before the loader arrived (the snippet's stub queues them in OzziOsWidget.q) are replayed in
//   order; calls to the iframe made before it is ready wait for its `ozzi:ready`.
import OzziRuntime

enum LoaderScript {
    static func source(config: String) -> String {
        // The directive first, or the function is not strict.
        "(function(C){\"use strict\";" + OriginMatch.javaScript + body + "})(" + config + ");\n"
    }

    private static let body = #"""
        var w=window,d=document,old=w.OzziOsWidget;if(old&&old.__ozzi)return;
        var s=d.currentScript;if(!s){var all=d.getElementsByTagName("script");for(var i=0;i<all.length;i++){if(all[i].src.indexOf("/loader.js?key="+C.key)>=0)s=all[i];}}
        var u=new URL(s.src,location.href),O=u.origin,B=O+u.pathname.replace(/\/loader\.js$/,"");
        var L={ready:[],open:[],close:[],message:[]},st={open:false,ready:false},wait=[];
        function emit(n,v){L[n].forEach(function(f){try{f(v);}catch(e){setTimeout(function(){throw e;});}});}
        var api={__ozzi:true,open:function(){},close:function(){},toggle:function(){},identify:function(){},reset:function(){},
        on:function(n,f){if(L[n]&&typeof f==="function"){L[n].push(f);if(n==="ready"&&st.ready)f();}},isOpen:function(){return st.open;}};
        w.OzziOsWidget=api;
        if(!C.origins.some(function(p){return admits(p,location.origin);})){console.warn("OzziOsWidget: "+location.origin+" is not among this widget's allowed origins");return;}
        var host=d.createElement("div");host.id="ozzi-os-widget";var root=host.attachShadow({mode:"open"});
        var left=C.position==="bottom-left";
        function css(e,o){for(var k in o)e.style[k]=o[k];return e;}
        var btn=css(d.createElement("button"),{position:"fixed",bottom:"20px",zIndex:"2147483000",padding:"12px 18px",border:"0",borderRadius:"24px",
        background:C.color,color:"#fff",font:"600 15px/1.2 system-ui,sans-serif",cursor:"pointer",boxShadow:"0 4px 14px rgba(0,0,0,.25)"});
        btn.style[left?"left":"right"]="20px";btn.type="button";btn.textContent=C.launcherText;btn.setAttribute("aria-expanded","false");btn.setAttribute("part","launcher");
        var panel=css(d.createElement("div"),{position:"fixed",bottom:"84px",width:"370px",maxWidth:"calc(100vw - 40px)",height:"560px",maxHeight:"calc(100vh - 104px)",
        zIndex:"2147483000",borderRadius:"12px",overflow:"hidden",boxShadow:"0 8px 30px rgba(0,0,0,.3)",display:"none",background:"#fff"});
        panel.style[left?"left":"right"]="20px";panel.setAttribute("part","panel");
        var f=css(d.createElement("iframe"),{width:"100%",height:"100%",border:"0",display:"block"});
        f.title=C.title||"Chat";f.src=B+"/embed?key="+encodeURIComponent(C.key);
        panel.appendChild(f);root.appendChild(panel);root.appendChild(btn);
        function post(m){if(st.ready)f.contentWindow.postMessage(m,O);else wait.push(m);}
        function show(v){if(st.open===v)return;st.open=v;panel.style.display=v?"block":"none";btn.setAttribute("aria-expanded",String(v));post({type:v?"ozzi:open":"ozzi:close"});emit(v?"open":"close");}
        api.open=function(){show(true);};api.close=function(){show(false);};api.toggle=function(){show(!st.open);};
        api.identify=function(u){if(!u||typeof u!=="object")return;var x={};["user_id","email","name","signature"].forEach(function(k){if(u[k]!=null)x[k]=String(u[k]);});
        if(u.expires_at!=null)x.expires_at=Number(u.expires_at);post({type:"ozzi:identify",user:x});};
        api.reset=function(){post({type:"ozzi:reset"});};
        btn.addEventListener("click",api.toggle);
        w.addEventListener("message",function(e){if(e.origin!==O||e.source!==f.contentWindow)return;var m=e.data;if(!m||typeof m!=="object"||typeof m.type!=="string")return;
        if(m.type==="ozzi:ready"&&!st.ready){st.ready=true;wait.splice(0).forEach(post);emit("ready");}
        else if(m.type==="ozzi:close")show(false);
        else if(m.type==="ozzi:message"&&m.message&&typeof m.message==="object")emit("message",{id:String(m.message.id||""),from:String(m.message.from||""),text:String(m.message.text||"")});});
        function attach(){d.body.appendChild(host);}
        if(d.body)attach();else d.addEventListener("DOMContentLoaded",attach);
        var q=old&&old.q||[];q.forEach(function(c){if(api[c[0]])api[c[0]].apply(api,c[1]||[]);});
        """#
}
