// The reference: Node's http module serving the same bytes as the host's status route.
// Usage: node bench/node-hello.js PORT BODY_FILE CONTENT_TYPE
const http = require('http');
const fs = require('fs');
const [port, bodyFile, contentType] = process.argv.slice(2);
const body = fs.readFileSync(bodyFile);
http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': contentType, 'content-length': body.length });
  res.end(body);
}).listen(Number(port), '127.0.0.1');
