// The script of the API reference page (`APIReference`), served at /api/v1/docs/reference.js. Plain
// JavaScript in a raw string literal: the host is one binary and carries no resource files.
extension APIReference {
    static let script = #"""
        // The API reference: fetches the OpenAPI 3.1 document named by <body data-document> and renders it.
        // Written against the specification, not against one document: every field may be missing, every
        // object may be a $ref. Text from the document enters the page only as text nodes and attribute
        // values, never as markup.
        "use strict";
        (function () {
          const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
          // Nested schemas are drawn this many levels deep at once; deeper ones when their disclosure is opened.
          const EAGER_DEPTH = 5;

          let doc = {};
          // operationId and "METHOD path" -> the anchor id of that operation, for links between operations.
          const anchors = new Map();
          const usedIds = new Set();
          // Every rendered operation with its search text, its article and its table-of-contents entries.
          const entries = [];

          // ---- DOM helpers -------------------------------------------------------------------------------

          function el(tag, attributes, ...children) {
            const node = document.createElement(tag);
            for (const [name, value] of Object.entries(attributes || {})) {
              if (value === undefined || value === null || value === false) continue;
              node.setAttribute(name, value === true ? "" : String(value));
            }
            add(node, children);
            return node;
          }

          function add(node, children) {
            for (const child of [children].flat(Infinity)) {
              if (child === undefined || child === null || child === false || child === "") continue;
              node.append(child instanceof Node ? child : document.createTextNode(String(child)));
            }
            return node;
          }

          function isObject(value) {
            return value !== null && typeof value === "object" && !Array.isArray(value);
          }

          function text(value) {
            return typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
          }

          // A URL the document gives (contact, license, external docs) becomes a link only if it is web or mail.
          function safeHref(url) {
            try {
              const parsed = new URL(text(url), location.href);
              return ["http:", "https:", "mailto:"].includes(parsed.protocol) ? parsed.href : null;
            } catch (error) {
              return null;
            }
          }

          // A path that may break after each slash, and nowhere else.
          function pathText(path) {
            const node = el("span", { class: "path-text" });
            text(path).split("/").forEach((part, index) => {
              if (index) node.append("/", el("wbr"));
              node.append(part);
            });
            return node;
          }

          function hashHref(id) {
            return "#" + encodeURIComponent(id);
          }

          function uniqueId(wanted) {
            const base = text(wanted).replace(/\s+/g, "-") || "item";
            let id = base;
            for (let n = 2; usedIds.has(id); n += 1) id = base + "-" + n;
            usedIds.add(id);
            return id;
          }

          // Descriptions are CommonMark; drawn as paragraphs with `code` spans, which covers what matters
          // without a Markdown parser that would have to produce markup.
          function prose(value, className) {
            const source = text(value).trim();
            if (!source) return null;
            const box = el("div", { class: className || "prose" });
            for (const paragraph of source.split(/\n\s*\n/)) {
              const p = el("p");
              paragraph.split(/(`[^`]+`)/).forEach((part, index) => {
                if (index % 2 === 1) p.append(el("code", {}, part.slice(1, -1)));
                else if (part) p.append(document.createTextNode(part));
              });
              box.append(p);
            }
            return box;
          }

          function pretty(value, mediaType) {
            if (typeof value === "string" && !/json/i.test(text(mediaType))) return value;
            try {
              const out = JSON.stringify(value, null, 2);
              return out === undefined ? text(value) : out;
            } catch (error) {
              return text(value);
            }
          }

          function inlineValue(value) {
            return el("code", { class: "value" }, pretty(value, "json").replace(/\s*\n\s*/g, " "));
          }

          // A disclosure whose content is built the first time it is opened.
          function lazyDetails(attributes, summary, build, open) {
            const details = el("details", attributes, el("summary", {}, summary));
            let built = false;
            const fill = () => {
              if (built) return;
              built = true;
              add(details, build());
            };
            if (open) {
              details.open = true;
              fill();
            } else {
              details.addEventListener("toggle", () => { if (details.open) fill(); });
            }
            return details;
          }

          // ---- References --------------------------------------------------------------------------------

          // A local JSON pointer (#/components/schemas/Contact); external references are not fetched.
          function resolvePointer(ref) {
            if (typeof ref !== "string" || !ref.startsWith("#")) return undefined;
            let pointer;
            try {
              pointer = decodeURIComponent(ref.slice(1));
            } catch (error) {
              return undefined;
            }
            if (pointer === "") return doc;
            if (!pointer.startsWith("/")) return undefined;
            let node = doc;
            for (const token of pointer.split("/").slice(1)) {
              const key = token.replace(/~1/g, "/").replace(/~0/g, "~");
              if (node === null || typeof node !== "object" || !(key in node)) return undefined;
              node = node[key];
            }
            return node;
          }

          function refName(ref) {
            const tokens = text(ref).split("/");
            const last = tokens[tokens.length - 1] || text(ref);
            try {
              return decodeURIComponent(last).replace(/~1/g, "/").replace(/~0/g, "~");
            } catch (error) {
              return last;
            }
          }

          function schemaAnchor(ref) {
            return typeof ref === "string" && ref.startsWith("#/components/schemas/") ? "schema-" + refName(ref) : null;
          }

          // Follows a Reference Object chain (parameters, responses, bodies, headers, examples, links). Its own
          // summary and description win over the target's, as OpenAPI 3.1 says. `missing` names an unresolved one.
          function deref(value) {
            let current = value;
            let overrides = {};
            const seen = new Set();
            while (isObject(current) && typeof current.$ref === "string") {
              if (seen.has(current.$ref)) return { value: {}, missing: current.$ref };
              seen.add(current.$ref);
              if ("summary" in current && !("summary" in overrides)) overrides.summary = current.summary;
              if ("description" in current && !("description" in overrides)) overrides.description = current.description;
              const target = resolvePointer(current.$ref);
              if (target === undefined) return { value: overrides, missing: current.$ref };
              current = target;
            }
            return { value: isObject(current) ? Object.assign({}, current, overrides) : overrides, missing: null };
          }

          // ---- Schemas -----------------------------------------------------------------------------------

          function typesOf(schema) {
            const types = Array.isArray(schema.type) ? schema.type.map(text) : schema.type !== undefined ? [text(schema.type)] : [];
            if (types.length === 0) {
              if (isObject(schema.properties) || isObject(schema.patternProperties) || schema.additionalProperties !== undefined) types.push("object");
              else if (schema.items !== undefined || Array.isArray(schema.prefixItems)) types.push("array");
            }
            if (schema.nullable === true && !types.includes("null")) types.push("null");
            return types;
          }

          // A one-line name for a schema: "string (date-time)", "array of Contact", "string | null", "one of 2".
          function typeLabel(schema, depth) {
            depth = depth || 0;
            if (schema === true) return "any";
            if (schema === false) return "nothing";
            if (!isObject(schema)) return "any";
            if (typeof schema.$ref === "string") return refName(schema.$ref);
            if (depth > 3) return "…";
            const types = typesOf(schema);
            const labels = types.map((type) => {
              if (type === "array") {
                if (schema.items !== undefined) return "array of " + typeLabel(schema.items, depth + 1);
                if (Array.isArray(schema.prefixItems)) return "tuple";
                return "array";
              }
              if (schema.format !== undefined && type !== "null") return type + " (" + text(schema.format) + ")";
              return type;
            });
            if (labels.length === 0 || (labels.length === 1 && labels[0] === "null")) {
              for (const keyword of ["oneOf", "anyOf", "allOf"]) {
                if (Array.isArray(schema[keyword])) {
                  const names = schema[keyword].map((variant) => typeLabel(variant, depth + 1));
                  const joined = keyword === "allOf" ? names.join(" & ") : names.join(" | ");
                  labels.unshift(schema[keyword].length === 1 ? names[0] : keyword === "allOf" ? "all of " + joined : "one of " + joined);
                  break;
                }
              }
            }
            if (labels.length === 0) {
              if ("const" in schema) return "constant";
              if (Array.isArray(schema.enum)) return "enum";
              return "any";
            }
            return labels.join(" | ");
          }

          function rangeText(schema, lower, exclusiveLower, upper, exclusiveUpper, noun) {
            const parts = [];
            // 3.1 (JSON Schema) makes exclusive bounds numbers; 3.0 made them flags on minimum and maximum.
            if (typeof schema[exclusiveLower] === "number") parts.push(noun + " > " + schema[exclusiveLower]);
            else if (typeof schema[lower] === "number") parts.push(noun + (schema[exclusiveLower] === true ? " > " : " ≥ ") + schema[lower]);
            if (typeof schema[exclusiveUpper] === "number") parts.push(noun + " < " + schema[exclusiveUpper]);
            else if (typeof schema[upper] === "number") parts.push(noun + (schema[exclusiveUpper] === true ? " < " : " ≤ ") + schema[upper]);
            return parts;
          }

          // The schema's rules as small labelled facts: enum, pattern, lengths, bounds, defaults, examples.
          function constraints(schema, omitExamples) {
            if (!isObject(schema)) return null;
            const facts = [];
            const fact = (label, ...value) => facts.push(el("span", { class: "fact" }, label ? el("span", { class: "fact-label" }, label) : null, value));
            if (Array.isArray(schema.enum)) fact("one of", schema.enum.map((value, index) => [index ? " " : null, inlineValue(value)]));
            if ("const" in schema) fact("always", inlineValue(schema.const));
            if (schema.pattern !== undefined) fact("pattern", el("code", { class: "value" }, text(schema.pattern)));
            rangeText(schema, "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "value").forEach((part) => fact(null, part));
            rangeText(schema, "minLength", "", "maxLength", "", "length").forEach((part) => fact(null, part));
            rangeText(schema, "minItems", "", "maxItems", "", "items").forEach((part) => fact(null, part));
            rangeText(schema, "minProperties", "", "maxProperties", "", "properties").forEach((part) => fact(null, part));
            if (schema.multipleOf !== undefined) fact("multiple of", text(schema.multipleOf));
            // `required` without `properties`: a variant of a one-of group that names which fields it needs.
            if (Array.isArray(schema.required) && schema.required.length && !isObject(schema.properties)) {
              fact("needs", schema.required.map((name, index) => [index ? ", " : null, el("code", {}, text(name))]));
            }
            if (schema.uniqueItems === true) fact(null, "unique items");
            if (schema.readOnly === true) fact(null, "read-only");
            if (schema.writeOnly === true) fact(null, "write-only");
            if (schema.deprecated === true) fact(null, "deprecated");
            if (schema.contentMediaType !== undefined) fact("media type", text(schema.contentMediaType));
            if (schema.contentEncoding !== undefined) fact("encoding", text(schema.contentEncoding));
            if ("default" in schema) fact("default", inlineValue(schema.default));
            // `omitExamples` when the holder (a parameter) shows examples of its own.
            if (!omitExamples && Array.isArray(schema.examples)) schema.examples.forEach((value) => fact("example", inlineValue(value)));
            else if (!omitExamples && "example" in schema) fact("example", inlineValue(schema.example));
            return facts.length ? el("div", { class: "facts" }, facts) : null;
          }

          // Whether a schema has parts worth drawing under its one-line label.
          function hasStructure(schema) {
            if (!isObject(schema)) return false;
            if (typeof schema.$ref === "string") return true;
            if (isObject(schema.properties) && Object.keys(schema.properties).length) return true;
            if (isObject(schema.patternProperties) || isObject(schema.additionalProperties)) return true;
            if (Array.isArray(schema.prefixItems) || isObject(schema.not) || isObject(schema.if)) return true;
            if (["oneOf", "anyOf", "allOf"].some((keyword) => Array.isArray(schema[keyword]))) return true;
            if (schema.items !== undefined) return hasStructure(schema.items) || hasFacts(schema.items);
            return false;
          }

          const FACT_KEYWORDS = ["required", "enum", "const", "pattern", "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "minLength",
            "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "multipleOf", "uniqueItems", "readOnly", "writeOnly",
            "deprecated", "contentMediaType", "contentEncoding", "default", "examples", "example"];

          function hasFacts(schema) {
            return isObject(schema) && FACT_KEYWORDS.some((keyword) => keyword in schema);
          }

          // One named part of a schema (a property, the items, a variant): its name, type, facts, description and
          // its own structure below.
          function schemaRow(name, schema, options, depth, trail) {
            const row = el("li", { class: "schema-row" });
            const head = el("div", { class: "row-head" });
            if (name !== null) head.append(el("code", { class: options.nameClass || "name" }, name));
            const anchor = isObject(schema) ? schemaAnchor(schema.$ref) : null;
            const label = typeLabel(schema);
            head.append(anchor ? el("a", { class: "type", href: hashHref(anchor) }, label) : el("span", { class: "type" }, label));
            if (options.required) head.append(el("span", { class: "badge required" }, "required"));
            row.append(head);
            if (isObject(schema)) {
              const resolved = typeof schema.$ref === "string" ? resolvePointer(schema.$ref) : schema;
              const description = schema.description !== undefined ? schema.description : isObject(resolved) ? resolved.description : undefined;
              add(row, [constraints(schema), typeof schema.$ref === "string" && isObject(resolved) ? constraints(resolved) : null]);
              add(row, prose(description, "prose description"));
              if (hasStructure(schema)) row.append(schemaBody(schema, depth + 1, trail, true));
            }
            return row;
          }

          // The structure of a schema: properties, items, variants. A $ref is followed in place (its title links
          // to the component), unless it is already being drawn above (a recursive schema).
          function schemaBody(schema, depth, trail, skipFacts) {
            const box = el("div", { class: "schema" });
            if (schema === true || schema === false || !isObject(schema)) {
              box.append(el("span", { class: "type" }, typeLabel(schema)));
              return box;
            }
            if (typeof schema.$ref === "string") {
              const ref = schema.$ref;
              const target = resolvePointer(ref);
              const anchor = schemaAnchor(ref);
              const link = anchor ? el("a", { href: hashHref(anchor) }, refName(ref)) : el("code", {}, ref);
              if (target === undefined) {
                box.append(el("p", { class: "note" }, "Not resolved here: ", link));
                return box;
              }
              if (trail.includes(ref)) {
                box.append(el("p", { class: "note" }, "Recursive: ", link));
                return box;
              }
              if (depth > EAGER_DEPTH) {
                box.append(lazyDetails({ class: "nested" }, [refName(ref)], () => schemaBody(target, 0, trail.concat([ref]), skipFacts), false));
              } else {
                box.append(schemaBody(target, depth, trail.concat([ref]), skipFacts));
              }
              return box;
            }
            if (depth > EAGER_DEPTH) {
              box.append(lazyDetails({ class: "nested" }, [typeLabel(schema)], () => schemaBody(schema, 0, trail, skipFacts), false));
              return box;
            }
            if (!skipFacts) add(box, [constraints(schema)]);

            const rows = el("ul", { class: "schema-rows" });
            const required = new Set(Array.isArray(schema.required) ? schema.required.map(text) : []);
            if (isObject(schema.properties)) {
              for (const [name, property] of Object.entries(schema.properties)) {
                rows.append(schemaRow(name, property, { required: required.has(name) }, depth, trail));
              }
            }
            if (isObject(schema.patternProperties)) {
              for (const [pattern, property] of Object.entries(schema.patternProperties)) {
                rows.append(schemaRow("/" + pattern + "/", property, { nameClass: "name pattern" }, depth, trail));
              }
            }
            if (schema.additionalProperties === false) {
              rows.append(el("li", { class: "schema-row note" }, "No other properties."));
            } else if (isObject(schema.additionalProperties) || schema.additionalProperties === true) {
              rows.append(schemaRow("any other key", schema.additionalProperties, { nameClass: "name other" }, depth, trail));
            }
            if (isObject(schema.propertyNames)) rows.append(schemaRow("keys", schema.propertyNames, { nameClass: "name other" }, depth, trail));
            if (Array.isArray(schema.prefixItems)) {
              schema.prefixItems.forEach((item, index) => rows.append(schemaRow("[" + index + "]", item, { nameClass: "name other" }, depth, trail)));
            }
            if (schema.items !== undefined && hasStructure(schema.items)) {
              rows.append(schemaRow(Array.isArray(schema.prefixItems) ? "[more]" : "[items]", schema.items, { nameClass: "name other" }, depth, trail));
            } else if (schema.items !== undefined && hasFacts(schema.items)) {
              rows.append(schemaRow("[items]", schema.items, { nameClass: "name other" }, depth, trail));
            }
            if (isObject(schema.contains)) rows.append(schemaRow("[contains]", schema.contains, { nameClass: "name other" }, depth, trail));
            if (rows.childNodes.length) box.append(rows);

            for (const [keyword, title] of [["oneOf", "Exactly one of"], ["anyOf", "Any of"], ["allOf", "All of"]]) {
              if (!Array.isArray(schema[keyword])) continue;
              const variants = el("ol", { class: "variants " + keyword });
              schema[keyword].forEach((variant, index) => {
                const name = isObject(variant) && variant.title !== undefined ? text(variant.title) : "option " + (index + 1);
                variants.append(schemaRow(name, variant, { nameClass: "name variant" }, depth, trail));
              });
              box.append(el("div", { class: "composition" }, el("p", { class: "composition-title" }, title), variants));
            }
            if (isObject(schema.discriminator)) {
              const mapping = isObject(schema.discriminator.mapping) ? Object.entries(schema.discriminator.mapping) : [];
              box.append(el("p", { class: "note" }, "Chosen by the property ", el("code", {}, text(schema.discriminator.propertyName)),
                mapping.map(([value, ref]) => [" · ", inlineValue(value), " → ", schemaAnchor(ref) ? el("a", { href: hashHref(schemaAnchor(ref)) }, refName(ref)) : el("code", {}, text(ref))])));
            }
            if (schema.not !== undefined) {
              box.append(el("div", { class: "composition" }, el("p", { class: "composition-title" }, "Must not match"),
                el("ul", { class: "variants" }, schemaRow(null, schema.not, {}, depth, trail))));
            }
            if (schema.if !== undefined) {
              const parts = el("ul", { class: "variants" }, schemaRow("if", schema.if, { nameClass: "name variant" }, depth, trail));
              if (schema.then !== undefined) parts.append(schemaRow("then", schema.then, { nameClass: "name variant" }, depth, trail));
              if (schema.else !== undefined) parts.append(schemaRow("else", schema.else, { nameClass: "name variant" }, depth, trail));
              box.append(el("div", { class: "composition" }, el("p", { class: "composition-title" }, "Conditional"), parts));
            }
            return box;
          }

          // A schema at the top of a body, a response or a component: its type line, then its structure.
          function schemaBlock(schema) {
            const block = el("div", { class: "schema-block" });
            const anchor = isObject(schema) ? schemaAnchor(schema.$ref) : null;
            block.append(el("div", { class: "row-head" }, anchor ? el("a", { class: "type", href: hashHref(anchor) }, typeLabel(schema))
              : el("span", { class: "type" }, typeLabel(schema))));
            if (isObject(schema)) {
              const resolved = typeof schema.$ref === "string" ? resolvePointer(schema.$ref) : schema;
              add(block, prose(schema.description !== undefined ? schema.description : isObject(resolved) ? resolved.description : undefined, "prose description"));
              block.append(schemaBody(schema, 0, [], false));
            }
            return block;
          }

          // ---- Examples ----------------------------------------------------------------------------------

          function exampleBlock(title, value, mediaType) {
            return el("figure", { class: "example" }, el("figcaption", {}, title), el("pre", {}, el("code", {}, pretty(value, mediaType))));
          }

          // The examples of a media type (or parameter): `example`, then `examples` (each maybe a $ref), then
          // those its schema carries.
          function examplesOf(holder, mediaType, fromSchema) {
            const out = [];
            if (!isObject(holder)) return out;
            if ("example" in holder) out.push(exampleBlock("Example", holder.example, mediaType));
            if (isObject(holder.examples)) {
              for (const [name, raw] of Object.entries(holder.examples)) {
                const { value: example, missing } = deref(raw);
                const title = [name, example.summary ? " — " + text(example.summary) : ""].join("");
                let node;
                if (missing) node = el("p", { class: "note" }, "Example ", el("code", {}, name), " not resolved: ", el("code", {}, missing));
                else if ("value" in example) node = exampleBlock(title, example.value, mediaType);
                else if (example.externalValue !== undefined) node = el("p", { class: "note" }, "Example ", el("code", {}, name), " lives at ", el("code", {}, text(example.externalValue)));
                else continue;
                out.push(add(node, prose(example.description)));
              }
            }
            if (out.length === 0 && fromSchema && isObject(holder.schema)) {
              const schema = typeof holder.schema.$ref === "string" ? resolvePointer(holder.schema.$ref) : holder.schema;
              if (isObject(schema) && Array.isArray(schema.examples) && schema.examples.length) out.push(exampleBlock("Example", schema.examples[0], mediaType));
              else if (isObject(schema) && "example" in schema) out.push(exampleBlock("Example", schema.example, mediaType));
            }
            return out;
          }

          // ---- Operations --------------------------------------------------------------------------------

          function section(title, ...content) {
            return el("section", { class: "part" }, el("h4", {}, title), content);
          }

          // The media types of a body. `folded` puts each schema behind a disclosure: error answers mostly share
          // one schema, which drawn open under every status would bury the rest.
          function contentBlocks(content, folded) {
            if (!isObject(content)) return [];
            return Object.entries(content).map(([mediaType, media]) => {
              const box = el("div", { class: "media" }, el("p", { class: "media-type" }, el("code", {}, mediaType)));
              if (isObject(media)) {
                if (media.schema !== undefined && folded) {
                  box.append(lazyDetails({ class: "nested" }, ["Schema: ", el("span", { class: "type" }, typeLabel(media.schema))], () => schemaBlock(media.schema), false));
                } else if (media.schema !== undefined) {
                  box.append(schemaBlock(media.schema));
                }
                if (isObject(media.encoding)) {
                  const list = el("ul", { class: "plain" });
                  for (const [name, encoding] of Object.entries(media.encoding)) {
                    list.append(el("li", {}, el("code", {}, name), isObject(encoding) && encoding.contentType ? ": " + text(encoding.contentType) : ""));
                  }
                  box.append(el("div", { class: "encoding" }, el("p", { class: "composition-title" }, "Encoding"), list));
                }
                add(box, examplesOf(media, mediaType, true));
              }
              return box;
            });
          }

          function parameterKey(parameter) {
            return text(parameter.in) + ":" + (text(parameter.in) === "header" ? text(parameter.name).toLowerCase() : text(parameter.name));
          }

          // Path-level parameters apply to every operation of the path; an operation's own one with the same
          // name and location replaces it.
          function parametersOf(pathItem, operation) {
            const merged = new Map();
            for (const raw of [].concat(Array.isArray(pathItem.parameters) ? pathItem.parameters : [], Array.isArray(operation.parameters) ? operation.parameters : [])) {
              const { value, missing } = deref(raw);
              const key = missing ? "missing:" + missing : parameterKey(value);
              merged.set(key, { parameter: value, missing });
            }
            return [...merged.values()];
          }

          function parametersTable(parameters) {
            const table = el("table", { class: "parameters" },
              el("thead", {}, el("tr", {}, el("th", {}, "Name"), el("th", {}, "In"), el("th", {}, "Type"), el("th", {}, "Details"))));
            const body = el("tbody");
            for (const { parameter, missing } of parameters) {
              if (missing) {
                body.append(el("tr", {}, el("td", { colspan: 4, class: "note" }, "Not resolved: ", el("code", {}, missing))));
                continue;
              }
              const media = isObject(parameter.content) ? Object.entries(parameter.content)[0] : null;
              const schema = parameter.schema !== undefined ? parameter.schema : media && isObject(media[1]) ? media[1].schema : undefined;
              const anchor = isObject(schema) ? schemaAnchor(schema.$ref) : null;
              // A parameter's own examples replace its schema's; a scalar one reads best inline, like the other facts.
              const own = "example" in parameter || isObject(parameter.examples);
              const scalar = "example" in parameter && (parameter.example === null || typeof parameter.example !== "object") && !isObject(parameter.examples);
              const details = el("td", {}, prose(parameter.description), constraints(schema, own),
                isObject(schema) && typeof schema.$ref === "string" ? constraints(resolvePointer(schema.$ref), own) : null,
                scalar ? el("div", { class: "facts" }, el("span", { class: "fact" }, el("span", { class: "fact-label" }, "example"), inlineValue(parameter.example))) : null,
                parameter.deprecated ? el("span", { class: "badge deprecated" }, "deprecated") : null,
                parameter.allowEmptyValue ? el("span", { class: "fact" }, "may be empty") : null,
                parameter.style ? el("span", { class: "fact" }, el("span", { class: "fact-label" }, "style"), text(parameter.style) + (parameter.explode ? ", exploded" : "")) : null,
                media ? el("span", { class: "fact" }, el("span", { class: "fact-label" }, "as"), media[0]) : null,
                schema !== undefined && hasStructure(schema) && !anchor ? schemaBody(schema, 1, [], true) : null,
                scalar ? null : examplesOf(parameter, media ? media[0] : "application/json"));
              body.append(el("tr", {},
                el("td", {}, el("code", { class: "name" }, text(parameter.name)), parameter.required || parameter.in === "path" ? el("span", { class: "badge required" }, "required") : null),
                el("td", {}, text(parameter.in)),
                el("td", {}, anchor ? el("a", { class: "type", href: hashHref(anchor) }, typeLabel(schema)) : el("span", { class: "type" }, typeLabel(schema))),
                details));
            }
            table.append(body);
            return table;
          }

          function securityOf(operation) {
            const requirements = Array.isArray(operation.security) ? operation.security : Array.isArray(doc.security) ? doc.security : [];
            const schemes = isObject(doc.components) && isObject(doc.components.securitySchemes) ? doc.components.securitySchemes : {};
            if (requirements.length === 0 || requirements.every((requirement) => isObject(requirement) && Object.keys(requirement).length === 0)) {
              return { open: true, node: el("p", { class: "auth open" }, "No authentication.") };
            }
            const alternatives = requirements.filter(isObject).map((requirement) => {
              const names = Object.entries(requirement);
              if (names.length === 0) return el("li", {}, "no credential");
              return el("li", {}, names.map(([name, scopes], index) => [index ? " and " : null,
                el("a", { href: hashHref("security-" + name) }, name),
                schemes[name] ? " (" + schemeText(deref(schemes[name]).value) + ")" : "",
                Array.isArray(scopes) && scopes.length ? [" with scopes ", scopes.map((scope, n) => [n ? ", " : null, el("code", {}, text(scope))])] : null]));
            });
            return { open: false, node: el("div", { class: "auth" }, el("p", {}, alternatives.length > 1 ? "Requires one of:" : "Requires:"), el("ul", { class: "plain" }, alternatives)) };
          }

          function schemeText(scheme) {
            switch (scheme.type) {
              case "http": return "HTTP " + text(scheme.scheme || "") + (scheme.bearerFormat ? ", " + text(scheme.bearerFormat) : "");
              case "apiKey": return "key in " + text(scheme.in) + " " + text(scheme.name);
              case "oauth2": return "OAuth 2";
              case "openIdConnect": return "OpenID Connect";
              case "mutualTLS": return "mutual TLS";
              default: return text(scheme.type);
            }
          }

          function headersList(headers) {
            const list = el("ul", { class: "schema-rows" });
            for (const [name, raw] of Object.entries(headers)) {
              const { value: header, missing } = deref(raw);
              if (missing) {
                list.append(el("li", { class: "schema-row note" }, el("code", {}, name), " not resolved: ", el("code", {}, missing)));
                continue;
              }
              const media = isObject(header.content) ? Object.values(header.content)[0] : null;
              const schema = header.schema !== undefined ? header.schema : isObject(media) ? media.schema : undefined;
              const row = schemaRow(name, schema === undefined ? {} : schema, { required: header.required === true, nameClass: "name header" }, 0, []);
              add(row, prose(header.description));
              list.append(row);
            }
            return list;
          }

          // Where a link points: by operationId, or by a local operationRef (#/paths/~1contacts~1{id}/get).
          function linkTarget(link) {
            if (link.operationId !== undefined) return anchors.get("id:" + text(link.operationId));
            if (typeof link.operationRef === "string" && link.operationRef.startsWith("#/paths/")) {
              const tokens = link.operationRef.slice(2).split("/").map((token) => {
                try { return decodeURIComponent(token).replace(/~1/g, "/").replace(/~0/g, "~"); } catch (error) { return token; }
              });
              if (tokens.length === 3) return anchors.get("op:" + tokens[2].toLowerCase() + " " + tokens[1]);
            }
            return undefined;
          }

          function linksList(links) {
            const list = el("ul", { class: "links" });
            for (const [name, raw] of Object.entries(links)) {
              const { value: link, missing } = deref(raw);
              const item = el("li", {}, el("code", { class: "name" }, name));
              if (missing) {
                add(item, [" not resolved: ", el("code", {}, missing)]);
              } else {
                const target = linkTarget(link);
                const label = text(link.operationId !== undefined ? link.operationId : link.operationRef);
                add(item, [" → ", target ? el("a", { href: hashHref(target) }, label) : el("code", {}, label)]);
                if (isObject(link.parameters)) {
                  add(item, el("ul", { class: "plain" }, Object.entries(link.parameters).map(([parameter, expression]) =>
                    el("li", {}, el("code", {}, parameter), " = ", inlineValue(expression)))));
                }
                if ("requestBody" in link) add(item, el("p", {}, "Body: ", inlineValue(link.requestBody)));
                add(item, prose(link.description));
              }
              list.append(item);
            }
            return list;
          }

          // Status codes in order, ranges (4XX) after the codes they cover, "default" last.
          function statusOrder(code) {
            const value = text(code).toUpperCase();
            if (value === "DEFAULT") return 1000;
            if (/^[1-5]XX$/.test(value)) return Number(value[0]) * 100 + 99.5;
            const number = Number(value);
            return Number.isFinite(number) ? number : 999;
          }

          function responsesBlock(responses) {
            const list = el("div", { class: "responses" });
            const codes = Object.keys(responses).sort((a, b) => statusOrder(a) - statusOrder(b));
            for (const code of codes) {
              const { value: response, missing } = deref(responses[code]);
              const kind = /^[23]/.test(code) ? "ok" : /^[45]/.test(code) ? "error" : "other";
              const box = el("div", { class: "response " + kind },
                el("p", { class: "response-head" }, el("span", { class: "status-code " + kind }, code), " ", text(response.summary || "")));
              if (missing) box.append(el("p", { class: "note" }, "Not resolved: ", el("code", {}, missing)));
              add(box, prose(response.description));
              if (isObject(response.headers) && Object.keys(response.headers).length) {
                box.append(el("div", { class: "response-part" }, el("p", { class: "composition-title" }, "Headers"), headersList(response.headers)));
              }
              add(box, contentBlocks(response.content, kind !== "ok"));
              if (isObject(response.links) && Object.keys(response.links).length) {
                box.append(el("div", { class: "response-part" }, el("p", { class: "composition-title" }, "Links"), linksList(response.links)));
              }
              list.append(box);
            }
            return list;
          }

          function operationBody(method, path, pathItem, operation, id) {
            const parts = [];
            parts.push(el("p", { class: "permalink" }, el("a", { href: hashHref(id) }, "Link to this operation"),
              operation.operationId !== undefined ? [" · ", el("code", {}, text(operation.operationId))] : null));
            parts.push(prose(pathItem.description), prose(operation.description));
            if (isObject(operation.externalDocs) && safeHref(operation.externalDocs.url)) {
              parts.push(el("p", {}, el("a", { href: safeHref(operation.externalDocs.url), rel: "noopener noreferrer" }, text(operation.externalDocs.description || operation.externalDocs.url))));
            }
            parts.push(section("Authentication", securityOf(operation).node));
            const parameters = parametersOf(pathItem, operation);
            if (parameters.length) parts.push(section("Parameters", parametersTable(parameters)));
            if (operation.requestBody !== undefined) {
              const { value: body, missing } = deref(operation.requestBody);
              parts.push(section(["Request body", body.required ? el("span", { class: "badge required" }, "required") : el("span", { class: "badge" }, "optional")],
                missing ? el("p", { class: "note" }, "Not resolved: ", el("code", {}, missing)) : null,
                prose(body.description), contentBlocks(body.content)));
            }
            if (isObject(operation.responses)) parts.push(section("Responses", responsesBlock(operation.responses)));
            if (isObject(operation.callbacks)) {
              for (const [name, raw] of Object.entries(operation.callbacks)) {
                const { value: callback } = deref(raw);
                const box = el("div", { class: "callbacks" });
                for (const [expression, item] of Object.entries(callback)) {
                  const pathItemValue = deref(item).value;
                  for (const callbackMethod of METHODS) {
                    if (!isObject(pathItemValue[callbackMethod])) continue;
                    box.append(el("div", { class: "callback" }, el("p", {}, methodBadge(callbackMethod), " ", el("code", {}, expression)),
                      operationBody(callbackMethod, expression, pathItemValue, pathItemValue[callbackMethod], id)));
                  }
                }
                parts.push(section(["Callback ", el("code", {}, name)], box));
              }
            }
            return parts;
          }

          function methodBadge(method) {
            return el("span", { class: "method method-" + (METHODS.includes(method) ? method : "other") }, method.toUpperCase());
          }

          // ---- Layout ------------------------------------------------------------------------------------

          // Every operation of `paths` (or `webhooks`) with the tag it is shown under.
          function collect(items, kind) {
            const found = [];
            if (!isObject(items)) return found;
            for (const [path, raw] of Object.entries(items)) {
              const { value: pathItem } = deref(raw);
              for (const method of METHODS) {
                const operation = pathItem[method];
                if (!isObject(operation)) continue;
                const tags = Array.isArray(operation.tags) && operation.tags.length ? operation.tags.map(text) : [kind === "webhook" ? "webhooks" : "other"];
                const wanted = operation.operationId !== undefined ? "operation-" + text(operation.operationId) : "operation-" + method + "-" + path.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "");
                const id = uniqueId(wanted);
                if (operation.operationId !== undefined && !anchors.has("id:" + text(operation.operationId))) anchors.set("id:" + text(operation.operationId), id);
                if (kind === "path") anchors.set("op:" + method + " " + path, id);
                found.push({ kind, path, method, pathItem, operation, tags, id });
              }
            }
            return found;
          }

          function tagOrder(operations) {
            const declared = Array.isArray(doc.tags) ? doc.tags.filter(isObject) : [];
            const order = declared.map((tag) => text(tag.name));
            for (const operation of operations) for (const tag of operation.tags) if (!order.includes(tag)) order.push(tag);
            const about = new Map(declared.map((tag) => [text(tag.name), tag]));
            return order.filter((tag) => operations.some((operation) => operation.tags.includes(tag))).map((name) => ({ name, about: about.get(name) || {} }));
          }

          function operationArticle(item) {
            const { method, path, pathItem, operation, id } = item;
            const summary = el("summary", {},
              methodBadge(method), " ", el("code", { class: "path" }, pathText(path)), " ",
              el("span", { class: "summary-text" }, text(operation.summary || pathItem.summary || "")),
              operation.deprecated ? el("span", { class: "badge deprecated" }, "deprecated") : null,
              securityOf(operation).open ? el("span", { class: "badge open" }, "open") : el("span", { class: "badge locked" }, "auth"));
            const details = el("details", { class: "operation", id }, summary);
            try {
              add(details, el("div", { class: "operation-body" }, operationBody(method, path, pathItem, operation, id)));
            } catch (error) {
              // One odd operation must not blank the page; the console still tells.
              console.error("could not render", method, path, error);
              details.append(el("p", { class: "note" }, "This operation could not be shown: " + text(error && error.message)));
            }
            details.addEventListener("toggle", () => {
              if (details.open && decodeHash() !== id) history.replaceState(null, "", hashHref(id));
            });
            return details;
          }

          function overview() {
            const info = isObject(doc.info) ? doc.info : {};
            const box = el("section", { class: "overview", id: "overview" });
            add(box, [prose(info.summary), prose(info.description)]);
            const facts = [];
            if (doc.openapi !== undefined) facts.push(["OpenAPI", text(doc.openapi)]);
            if (Array.isArray(doc.servers) && doc.servers.length) {
              facts.push(["Servers", doc.servers.filter(isObject).map((server, index) => [index ? ", " : null, el("code", {}, text(server.url)), server.description ? " (" + text(server.description) + ")" : ""])]);
            }
            if (isObject(info.contact)) {
              const href = safeHref(info.contact.url) || (info.contact.email ? safeHref("mailto:" + info.contact.email) : null);
              const name = text(info.contact.name || info.contact.email || info.contact.url);
              facts.push(["Contact", href ? el("a", { href, rel: "noopener noreferrer" }, name) : name]);
            }
            if (isObject(info.license)) {
              const href = safeHref(info.license.url);
              facts.push(["License", href ? el("a", { href, rel: "noopener noreferrer" }, text(info.license.name)) : text(info.license.name || info.license.identifier)]);
            }
            facts.push(["Document", el("a", { href: document.body.dataset.document }, "OpenAPI JSON")]);
            box.append(el("dl", { class: "facts-list" }, facts.map(([term, value]) => [el("dt", {}, term), el("dd", {}, value)])));

            const schemes = isObject(doc.components) && isObject(doc.components.securitySchemes) ? doc.components.securitySchemes : {};
            if (Object.keys(schemes).length) {
              const list = el("dl", { class: "facts-list" });
              for (const [name, raw] of Object.entries(schemes)) {
                const scheme = deref(raw).value;
                list.append(el("dt", { id: uniqueId("security-" + name) }, name), el("dd", {}, schemeText(scheme), prose(scheme.description)));
              }
              box.append(el("h2", {}, "Authentication"), list);
            }
            return box;
          }

          function componentsSection() {
            const components = isObject(doc.components) ? doc.components : {};
            const box = el("section", { class: "components", id: "components" }, el("h2", {}, "Components"));
            const schemas = isObject(components.schemas) ? Object.entries(components.schemas) : [];
            if (schemas.length) {
              box.append(el("h3", {}, "Schemas"));
              for (const [name, schema] of schemas.sort(([a], [b]) => a.localeCompare(b))) {
                const id = uniqueId("schema-" + name);
                const ref = "#/components/schemas/" + encodeURIComponent(name.replace(/~/g, "~0").replace(/\//g, "~1"));
                box.append(lazyDetails({ class: "component", id }, [el("code", { class: "name" }, name), " ", el("span", { class: "type" }, typeLabel(schema))], () => {
                  const block = el("div", { class: "schema-block" });
                  if (isObject(schema)) add(block, prose(schema.description, "prose description"));
                  block.append(schemaBody(schema, 0, [ref], false));
                  return block;
                }, false));
              }
            }
            const others = [["responses", "Responses", (value) => responsesBlock({ [value.name]: value.raw })],
              ["parameters", "Parameters", (value) => parametersTable([deref(value.raw)].map(({ value: parameter, missing }) => ({ parameter, missing })))],
              ["requestBodies", "Request bodies", (value) => { const body = deref(value.raw).value; return [prose(body.description), contentBlocks(body.content)]; }],
              ["headers", "Headers", (value) => headersList({ [value.name]: value.raw })]];
            for (const [key, title, render] of others) {
              if (!isObject(components[key]) || Object.keys(components[key]).length === 0) continue;
              box.append(el("h3", {}, title));
              for (const [name, raw] of Object.entries(components[key])) {
                box.append(lazyDetails({ class: "component", id: uniqueId(key + "-" + name) }, [el("code", { class: "name" }, name)], () => el("div", { class: "component-body" }, render({ name, raw })), false));
              }
            }
            return box.childNodes.length > 1 ? box : null;
          }

          function render(documentValue) {
            doc = isObject(documentValue) ? documentValue : {};
            anchors.clear();
            usedIds.clear();
            entries.length = 0;
            const info = isObject(doc.info) ? doc.info : {};
            const title = text(info.title) || "API reference";
            document.title = title + " — reference";
            document.getElementById("title").textContent = title;
            document.getElementById("subtitle").textContent = info.version !== undefined ? "Version " + text(info.version) : "";

            const operations = collect(doc.paths, "path").concat(collect(doc.webhooks, "webhook"));
            const content = document.getElementById("content");
            const toc = document.getElementById("toc");
            content.replaceChildren(overview());
            toc.replaceChildren();
            const articles = new Map();
            for (const tag of tagOrder(operations)) {
              const members = operations.filter((operation) => operation.tags.includes(tag.name));
              const sectionId = uniqueId("tag-" + tag.name);
              const tagSection = el("section", { class: "tag", id: sectionId }, el("h2", {}, tag.name), prose(tag.about.description));
              const tocList = el("ul", {});
              const tocGroup = el("div", { class: "toc-group" }, el("a", { class: "toc-tag", href: hashHref(sectionId) }, tag.name), tocList);
              for (const member of members) {
                // An operation with several tags is drawn once, under its first; the others link to it.
                let node;
                if (member.tags[0] === tag.name) {
                  node = operationArticle(member);
                  articles.set(member.id, node);
                } else {
                  node = el("p", { class: "elsewhere" }, methodBadge(member.method), " ", el("a", { href: hashHref(member.id) }, pathText(member.path)), " ", text(member.operation.summary || ""));
                }
                tagSection.append(node);
                const tocEntry = el("li", {}, el("a", { href: hashHref(member.id) }, methodBadge(member.method), " ", el("span", { class: "toc-path" }, pathText(member.path))));
                tocList.append(tocEntry);
                const op = member.operation;
                entries.push({
                  haystack: [member.method, member.path, op.summary, op.description, op.operationId, member.pathItem.summary, member.tags.join(" ")].map(text).join(" ").toLowerCase(),
                  id: member.id, nodes: [node, tocEntry], section: tagSection, group: tocGroup,
                });
              }
              content.append(tagSection);
              toc.append(tocGroup);
            }
            if (operations.length === 0) content.append(el("p", { class: "status" }, "The document lists no operations."));
            const components = componentsSection();
            if (components) {
              content.append(components);
              toc.append(el("div", { class: "toc-group" }, el("a", { class: "toc-tag", href: "#components" }, "Components")));
            }
            filter();
            reveal();
            return operations.length;
          }

          // ---- Search and deep links ---------------------------------------------------------------------

          function filter() {
            const input = document.getElementById("search");
            const terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
            const sections = new Map();
            const all = new Set();
            const shown = new Set();
            for (const entry of entries) {
              const match = terms.every((term) => entry.haystack.includes(term));
              entry.nodes.forEach((node) => { node.hidden = !match; });
              if (!sections.has(entry.section)) sections.set(entry.section, { group: entry.group, any: false });
              all.add(entry.id);
              if (match) {
                sections.get(entry.section).any = true;
                shown.add(entry.id);
              }
            }
            for (const [tagSection, { group, any }] of sections) {
              tagSection.hidden = !any;
              group.hidden = !any;
            }
            document.getElementById("count").textContent = terms.length ? shown.size + " of " + all.size + " operations" : all.size + " operations";
          }

          function decodeHash() {
            try {
              return decodeURIComponent(location.hash.slice(1));
            } catch (error) {
              return location.hash.slice(1);
            }
          }

          // Opens and scrolls to the element the URL's fragment names, and every disclosure around it.
          function reveal() {
            const id = decodeHash();
            if (!id) return;
            const target = document.getElementById(id);
            if (!target) return;
            if (target.closest("[hidden]")) {
              document.getElementById("search").value = "";
              filter();
            }
            for (let node = target; node; node = node.parentElement) {
              if (node.tagName === "DETAILS") node.open = true;
            }
            target.scrollIntoView({ block: "start" });
          }

          async function load() {
            const status = document.getElementById("status");
            const source = document.body.dataset.document;
            let documentValue;
            try {
              const response = await fetch(source, { headers: { accept: "application/json" }, credentials: "same-origin" });
              if (!response.ok) throw new Error("the document answered " + response.status);
              documentValue = await response.json();
            } catch (error) {
              status.textContent = "The OpenAPI document could not be loaded: " + text(error && error.message);
              status.classList.add("failed");
              return;
            }
            render(documentValue);
          }

          function start() {
            const input = document.getElementById("search");
            input.addEventListener("input", filter);
            input.addEventListener("keydown", (event) => {
              if (event.key === "Escape") {
                input.value = "";
                filter();
              }
            });
            document.addEventListener("keydown", (event) => {
              if (event.key === "/" && document.activeElement !== input && !event.ctrlKey && !event.metaKey) {
                event.preventDefault();
                input.focus();
              }
            });
            window.addEventListener("hashchange", reveal);
            load();
          }

          // The renderer on its own, for a page (or a test) that has the document in hand.
          window.APIReference = { render };
          if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
          else start();
        })();
        """#
}
