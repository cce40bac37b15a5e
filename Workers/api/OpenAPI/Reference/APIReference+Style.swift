// The style sheet of the API reference page (`APIReference`), served at /api/v1/docs/reference.css.
extension APIReference {
    static let style = #"""
        :root {
          --ink: #1d2330;
          --muted: #5b6474;
          --line: #dfe3ea;
          --panel: #f6f7f9;
          --accent: #2453c7;
          --ok: #1f7a4d;
          --error: #b3261e;
          --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
          color-scheme: light;
        }
        * { box-sizing: border-box; }
        html { scroll-padding-top: 1rem; }
        body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
        a { color: var(--accent); }
        code, pre { font-family: var(--mono); font-size: 0.9em; }
        [hidden] { display: none !important; }

        .masthead { padding: 1rem 1.5rem; border-bottom: 1px solid var(--line); background: var(--panel); }
        .masthead h1 { margin: 0; font-size: 1.5rem; }
        .subtitle { margin: 0.2rem 0 0; color: var(--muted); }

        .layout { display: grid; grid-template-columns: minmax(16rem, 22rem) 1fr; align-items: start; }
        #sidebar { position: sticky; top: 0; max-height: 100vh; overflow-y: auto; padding: 1rem; border-right: 1px solid var(--line); }
        #sidebar label { display: block; font-weight: 600; margin-bottom: 0.3rem; }
        #search { width: 100%; padding: 0.45rem 0.6rem; font: inherit; border: 1px solid var(--line); border-radius: 6px; }
        #search:focus { outline: 2px solid var(--accent); outline-offset: 1px; }
        .count { margin: 0.4rem 0 0.8rem; color: var(--muted); font-size: 0.85rem; }
        .toc-group { margin-bottom: 0.8rem; }
        .toc-tag { display: block; font-weight: 600; text-decoration: none; color: var(--ink); }
        .toc-group ul { list-style: none; margin: 0.2rem 0 0; padding: 0; }
        .toc-group li a { display: flex; gap: 0.4rem; align-items: baseline; padding: 0.1rem 0; text-decoration: none; color: var(--ink); font-size: 0.85rem; }
        .toc-group li a:hover .toc-path { text-decoration: underline; }
        .toc-path { font-family: var(--mono); }

        #content { padding: 1rem 2rem 4rem; min-width: 0; }
        .status { color: var(--muted); }
        .status.failed { color: var(--error); }
        .overview { margin-bottom: 1.5rem; }
        .facts-list { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0.5rem 0; }
        .facts-list dt { font-weight: 600; }
        .facts-list dd { margin: 0; }
        section.tag { margin-top: 2rem; }
        section.tag > h2, .components > h2, .overview h2 { font-size: 1.25rem; border-bottom: 1px solid var(--line); padding-bottom: 0.3rem; }

        details.operation { border: 1px solid var(--line); border-radius: 8px; margin: 0.5rem 0; background: #fff; }
        details.operation > summary { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: baseline; padding: 0.55rem 0.8rem; cursor: pointer; list-style: none; }
        details.operation > summary::-webkit-details-marker { display: none; }
        details.operation[open] > summary { border-bottom: 1px solid var(--line); background: var(--panel); border-radius: 8px 8px 0 0; }
        details.operation:target, details.component:target { box-shadow: 0 0 0 3px rgba(36, 83, 199, 0.35); }
        .path { font-weight: 600; }
        .summary-text { color: var(--muted); flex: 1; }
        .operation-body { padding: 0.5rem 1rem 1rem; }
        .permalink { font-size: 0.85rem; color: var(--muted); margin: 0.2rem 0 0.6rem; }
        .elsewhere { margin: 0.3rem 0; font-size: 0.9rem; }

        .method { display: inline-block; min-width: 4.2em; text-align: center; padding: 0.05rem 0.35rem; border-radius: 4px; font: 600 0.75rem/1.5 var(--mono); color: #fff; background: #667085; }
        .method-get { background: #1f6feb; }
        .method-post { background: #1f7a4d; }
        .method-put { background: #9a6700; }
        .method-patch { background: #8250df; }
        .method-delete { background: #b3261e; }

        .badge { display: inline-block; padding: 0 0.4rem; border-radius: 999px; font-size: 0.72rem; border: 1px solid var(--line); color: var(--muted); margin-left: 0.3rem; }
        .badge.required { color: var(--error); border-color: #f0c4c0; }
        .badge.locked { color: #7a5200; border-color: #ead9b0; }
        .badge.open { color: var(--ok); border-color: #b9dfc9; }
        .badge.deprecated { color: #fff; background: #8a8f98; border-color: #8a8f98; }

        .part { margin-top: 1rem; }
        .part > h4 { margin: 0 0 0.4rem; font-size: 0.95rem; }
        .auth p { margin: 0.2rem 0; }
        .prose p { margin: 0.3rem 0; }
        .description { color: var(--muted); }
        .note { color: var(--muted); font-style: italic; }
        ul.plain { margin: 0.2rem 0; padding-left: 1.2rem; }

        table.parameters { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
        table.parameters th, table.parameters td { border-bottom: 1px solid var(--line); padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
        table.parameters th { background: var(--panel); font-weight: 600; }

        .media { margin: 0.4rem 0; }
        .media-type { margin: 0.2rem 0; color: var(--muted); }
        .schema-block { border-left: 3px solid var(--line); padding-left: 0.7rem; }
        .row-head { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: baseline; }
        .name { font-weight: 600; }
        .name.other, .name.variant, .name.pattern { font-weight: 400; color: var(--muted); }
        .type { font-family: var(--mono); font-size: 0.85rem; color: #7a3e9d; }
        a.type { color: var(--accent); }
        ul.schema-rows, ol.variants { list-style: none; margin: 0.2rem 0; padding-left: 0; }
        .schema-row { padding: 0.3rem 0 0.3rem 0.2rem; border-bottom: 1px dashed var(--line); }
        .schema-row:last-child { border-bottom: 0; }
        .schema-row > .schema { margin-left: 1.2rem; border-left: 2px solid var(--line); padding-left: 0.7rem; }
        .composition { margin: 0.4rem 0; }
        .composition-title { margin: 0.3rem 0 0.1rem; font-size: 0.8rem; font-weight: 600; text-transform: uppercase; letter-spacing: 0.03em; color: var(--muted); }
        .facts { display: flex; flex-wrap: wrap; gap: 0.3rem; margin: 0.2rem 0; }
        .fact { display: inline-flex; flex-wrap: wrap; gap: 0.25rem; align-items: baseline; background: var(--panel); border: 1px solid var(--line); border-radius: 4px; padding: 0 0.35rem; font-size: 0.8rem; }
        .fact-label { color: var(--muted); }
        code.value { word-break: break-all; }
        details.nested > summary, details.component > summary { cursor: pointer; }

        .responses .response { border: 1px solid var(--line); border-radius: 6px; padding: 0.4rem 0.7rem; margin: 0.4rem 0; }
        .response-head { margin: 0.1rem 0; font-weight: 600; }
        .status-code { display: inline-block; font-family: var(--mono); padding: 0 0.4rem; border-radius: 4px; color: #fff; background: #667085; }
        .status-code.ok { background: var(--ok); }
        .status-code.error { background: var(--error); }
        .response-part { margin-top: 0.4rem; }
        ul.links { list-style: none; padding-left: 0; }

        figure.example { margin: 0.5rem 0; }
        figure.example figcaption { font-size: 0.8rem; color: var(--muted); }
        figure.example pre { margin: 0.2rem 0; padding: 0.6rem 0.8rem; background: #0f1522; color: #e6edf3; border-radius: 6px; overflow-x: auto; }

        .components { margin-top: 2.5rem; }
        details.component { border-bottom: 1px solid var(--line); padding: 0.35rem 0; }
        details.component > .schema-block, details.component > .component-body { margin: 0.4rem 0 0.4rem 1rem; }
        .callback { border-left: 3px solid var(--line); padding-left: 0.7rem; margin: 0.4rem 0; }

        @media (max-width: 800px) {
          .layout { grid-template-columns: 1fr; }
          #sidebar { position: static; max-height: none; border-right: 0; border-bottom: 1px solid var(--line); }
          #content { padding: 1rem; }
        }
        """#
}
