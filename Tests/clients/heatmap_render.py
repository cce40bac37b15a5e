"""Renders a scan's heatmap SVG in Debian's headless Chromium and reports what it drew.

Usage: heatmap_render.py SVG_FILE PNG_FILE POINTS_JSON

Chromium loads the SVG (as a data: URL, so the canvas stays readable) as an image, draws it onto a canvas at its own size, saves the canvas as PNG_FILE
(for a person to look at), and reads the colour at each of POINTS_JSON's [x, y] pixels. Prints one JSON
object: {"width", "height", "colors": [[r, g, b], ...]}, or {"error": ...} when the image did not load.
"""
import base64
import json
import pathlib
import sys

from headless import chromium

svg_file, png_file, points = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
browser = chromium()
try:
    browser.get("about:blank")
    svg = base64.b64encode(pathlib.Path(svg_file).read_bytes()).decode()
    drawn = browser.execute_async_script("""
        const [url, points, done] = arguments;
        const image = new Image();
        image.onerror = () => done({error: "the SVG did not load as an image"});
        image.onload = () => { try {
          const canvas = document.createElement("canvas");
          canvas.width = image.naturalWidth; canvas.height = image.naturalHeight;
          const context = canvas.getContext("2d");
          context.drawImage(image, 0, 0);
          const colors = points.map(([x, y]) => Array.from(context.getImageData(x, y, 1, 1).data.slice(0, 3)));
          done({width: canvas.width, height: canvas.height, colors, png: canvas.toDataURL("image/png")});
        } catch (error) { done({error: String(error)}); } };
        image.src = "data:image/svg+xml;base64," + url;
    """, svg, points)
    if "png" in drawn:
        pathlib.Path(png_file).write_bytes(base64.b64decode(drawn.pop("png").split(",", 1)[1]))
    print(json.dumps(drawn))
finally:
    browser.quit()
