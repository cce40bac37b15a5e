/// The console's one stylesheet. System fonts, colours that pass WCAG AA against their backgrounds (text
/// #111827 and links #1d4ed8 on white, white on #1e3a8a), a visible focus ring, one column below 48rem.
enum ConsoleStylesheet {
    static let text = """
        *,*::before,*::after{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%}
        body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;background:#f3f4f6}
        a{color:#1d4ed8}
        a:hover{color:#1e3a8a}
        :focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
        .skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}
        .skip:focus{left:.5rem}
        .bar{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding:.5rem 1rem;background:#1e3a8a;color:#fff}
        .bar a{color:#fff}
        .brand{font-weight:700;font-size:1.25rem;text-decoration:none}
        .bar nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:0;padding:0;list-style:none}
        .bar nav a{text-decoration:none;padding:.25rem .125rem;border-bottom:2px solid transparent}
        .bar nav a[aria-current=page]{border-bottom-color:#fff;font-weight:600}
        .who{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin-left:auto}
        .who form{display:flex;align-items:center;gap:.375rem;margin:0}
        .who label{font-size:.875rem}
        .who select{max-width:12rem}
        .email{font-size:.875rem}
        main{display:block;max-width:72rem;margin:0 auto;padding:1rem}
        main:focus{outline:none}
        h1{font-size:1.5rem;margin:.5rem 0 1rem}
        h2{font-size:1.125rem;margin:1.5rem 0 .5rem}
        .panel{background:#fff;border:1px solid #d1d5db;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
        .narrow{max-width:28rem;margin:2rem auto}
        label{display:block;font-weight:600;margin:.5rem 0 .25rem}
        .who label,.inline label{display:inline;margin:0}
        input,select,textarea,button{font:inherit}
        input[type=text],input[type=email],input[type=password],input[type=tel],input[type=search],select,textarea{
        width:100%;padding:.5rem;border:1px solid #6b7280;border-radius:.375rem;background:#fff;color:#111827}
        .who select{width:auto;padding:.25rem}
        button,.button{display:inline-block;padding:.5rem 1rem;border:0;border-radius:.375rem;background:#1d4ed8;color:#fff;
        cursor:pointer;text-decoration:none;font-weight:600}
        button:hover,.button:hover{background:#1e3a8a;color:#fff}
        button.quiet{background:transparent;border:1px solid #fff;padding:.25rem .75rem;font-weight:400}
        .actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-top:1rem}
        .filters{display:grid;grid-template-columns:2fr 1fr auto;gap:.5rem 1rem;align-items:end}
        .filters label{margin:0 0 .25rem}
        .hint{color:#4b5563;font-size:.875rem;margin:.25rem 0 0}
        .error{color:#991b1b;background:#fef2f2;border:1px solid #fecaca;border-radius:.375rem;padding:.5rem .75rem}
        .notice{color:#065f46;background:#ecfdf5;border:1px solid #a7f3d0;border-radius:.375rem;padding:.5rem .75rem}
        table{width:100%;border-collapse:collapse;background:#fff}
        th,td{text-align:left;padding:.5rem;border-bottom:1px solid #e5e7eb;vertical-align:top}
        th{font-size:.875rem;color:#374151}
        .count{color:#4b5563;font-size:.875rem}
        .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
        #contact-results{margin-bottom:1rem}
        .chart{margin:0}
        .chart > svg{width:100%;height:auto;display:block}
        .legend li{display:flex;align-items:center;gap:.375rem}
        .chart text{font-size:11px;fill:#374151}
        .legend{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:.5rem 0 0;padding:0;font-size:.875rem}
        td form{margin:0}
        td button{padding:.25rem .75rem}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
        dl.facts dt{font-weight:600;color:#374151}
        dl.facts dd{margin:0}
        .tag{display:inline-block;font-size:.75rem;padding:0 .5rem;border-radius:1rem;background:#e5e7eb;color:#111827}
        .history{list-style:none;margin:0;padding:0}
        .history li{padding:.5rem 0;border-bottom:1px solid #e5e7eb}
        .grid2{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
        .grid2>*,.conversation>*{min-width:0}
        fieldset{border:0;margin:0;padding:0}
        legend{font-weight:600;margin:.5rem 0 .25rem;padding:0}
        .choice{display:flex;gap:1rem;margin:.5rem 0}
        .choice legend{float:left;margin-right:1rem}
        .choice label,label.check{display:inline-flex;gap:.375rem;align-items:center;font-weight:400;margin:.25rem 1rem .25rem 0}
        input[type=number],input[type=datetime-local]{padding:.5rem;border:1px solid #6b7280;border-radius:.375rem;background:#fff;color:#111827}
        button.danger{background:#b91c1c}
        button.danger:hover{background:#7f1d1d}
        .actions form{margin:0}
        .bubble{white-space:pre-wrap;overflow-wrap:anywhere;background:#eef2ff;border-radius:.75rem;padding:.75rem;margin:.5rem 0}
        .bubble.mail{background:#f9fafb;border:1px solid #e5e7eb}
        progress{width:100%;height:1rem}
        .stats{grid-template-columns:repeat(auto-fill,minmax(9rem,max-content) minmax(3rem,1fr))}
        .tag.state-running{background:#dbeafe}
        .tag.state-finished{background:#dcfce7}
        .tag.state-paused{background:#fef3c7}
        .tag.state-cancelled{background:#fee2e2}
        .badge{display:inline-block;min-width:1.5rem;text-align:center;font-size:.75rem;font-weight:700;padding:0 .375rem;border-radius:1rem;background:#b91c1c;color:#fff}
        tr.unread a{font-weight:700}
        .conversation{display:grid;grid-template-columns:3fr 1fr;gap:1rem;align-items:start}
        .thread{list-style:none;margin:0;padding:0;max-height:60vh;overflow-y:auto}
        .thread li{max-width:80%;margin:.5rem 0;padding:.5rem .75rem;border-radius:.75rem;background:#f3f4f6}
        .thread li.from-agent{margin-left:auto;background:#dbeafe}
        .thread li.from-system{max-width:none;background:transparent;color:#4b5563;font-size:.875rem;text-align:center}
        .thread .author{font-weight:600;font-size:.875rem;margin-right:.5rem}
        .thread time{font-size:.75rem;color:#4b5563}
        .thread p{margin:.25rem 0 0;white-space:pre-wrap;overflow-wrap:anywhere}
        .reply textarea{resize:vertical}
        .fields{list-style:none;margin:0;padding:0}
        .field-row{border-bottom:1px solid #e5e7eb;padding:.5rem 0}
        .field-head{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem}
        .field-label{font-weight:600}
        .inline-actions{display:flex;gap:.25rem;margin:0 0 0 auto}
        button.small{padding:.125rem .5rem;font-size:.875rem;font-weight:400}
        details summary{cursor:pointer;color:#1d4ed8;margin:.25rem 0}
        .form-preview{width:100%;height:32rem;border:1px solid #d1d5db;border-radius:.375rem;background:#fff}
        .scroll{overflow-x:auto}
        img.heatmap{max-width:100%;height:auto}
        .tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.5rem;list-style:none;margin:0 0 1rem;padding:0}
        .tiles li{border:1px solid #e5e7eb;border-radius:.5rem;padding:.5rem .75rem}
        .tile-name{display:block;font-size:.875rem;color:#374151}
        .tile-value{display:flex;align-items:center;gap:.375rem;font-size:1.5rem;font-weight:700}
        .live.on{border-color:#15803d}
        .pulse{display:inline-block;width:.75rem;height:.75rem;border-radius:50%;background:#15803d;animation:pulse 1.2s ease-in-out infinite}
        @keyframes pulse{0%,100%{opacity:1;transform:scale(1)}50%{opacity:.35;transform:scale(.7)}}
        @media (prefers-reduced-motion:reduce){.pulse{animation:none}}
        .call-filters{display:grid;grid-template-columns:repeat(auto-fill,minmax(10rem,1fr));gap:.5rem 1rem;align-items:end}
        .call-filters label{margin:0 0 .25rem}
        .timeline{list-style:none;margin:0;padding:0;font-size:.875rem}
        .transcript{max-height:none}
        .thread li.from-system pre.tool{text-align:left}
        pre.tool{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.75rem;background:#f9fafb;border:1px solid #e5e7eb;border-radius:.375rem;padding:.375rem;margin:.25rem 0 0}
        audio{width:100%;margin:.5rem 0}
        button.quiet-dark{background:#fff;color:#1d4ed8;border:1px solid #1d4ed8;margin-top:.5rem}
        button.quiet-dark:hover{background:#eff6ff;color:#1e3a8a}
        button:disabled{background:#6b7280;cursor:not-allowed}
        .subnav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0 0 1rem;padding:0}
        .subnav a[aria-current=page]{font-weight:700}
        .community{display:grid;grid-template-columns:14rem 1fr;gap:1rem;align-items:start}
        .community>*{min-width:0}
        .channels ul{list-style:none;margin:0;padding:0}
        .channels li{padding:.25rem 0}
        .channels a[aria-current=page]{font-weight:700}
        .queue{list-style:none;margin:0;padding:0}
        .inline-form{display:flex;flex-wrap:wrap;gap:.25rem;align-items:center;margin:0}
        .inline-form input,.inline-form select{width:auto;padding:.25rem}
        .week-nav{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin-bottom:.5rem}
        .week-nav label{display:inline;margin:0 .25rem 0 0}
        input[type=date]{padding:.25rem;border:1px solid #6b7280;border-radius:.375rem}
        table.week{table-layout:fixed;min-width:56rem}
        table.week th[scope=row]{width:10rem}
        table.week td,table.week th{border:1px solid #e5e7eb;font-size:.875rem}
        .today{background:#eff6ff}
        ul.day{list-style:none;margin:0;padding:0}
        ul.day li{margin:0 0 .25rem;padding:.125rem .25rem;border-left:3px solid #1d4ed8;background:#f9fafb;overflow-wrap:anywhere}
        ul.day li.all-day{border-left-color:#15803d}
        @media (max-width:48rem){
        .filters,.grid2,.conversation,.community{grid-template-columns:1fr}
        .who{margin-left:0;width:100%}
        table.rows thead{position:absolute;left:-9999px}
        table.rows tr{display:block;border-bottom:1px solid #d1d5db;padding:.25rem 0}
        table.rows td{display:block;border:0;padding:.125rem .5rem}
        table.rows td[data-label]::before{content:attr(data-label) ": ";font-weight:600;color:#374151}
        }
        """
}
