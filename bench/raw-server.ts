/**
 * The baseline: a bare node:http server answering every request with the same
 * bytes (a page Broadsheet rendered) and the same content type. Run as its own
 * process, like the Broadsheet server it is compared with.
 *
 *   node dist/bench/raw-server.js <port> <body file> <content type>
 */
import fs from 'node:fs';
import http from 'node:http';

const [port, file, contentType] = process.argv.slice(2);
if (!port || !file || !contentType) {
  console.error('usage: raw-server.js <port> <body file> <content type>');
  process.exit(2);
}
const body = fs.readFileSync(file);
const headers = { 'content-type': contentType, 'content-length': String(body.length) };

const server = http.createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
});
server.listen(Number(port), '127.0.0.1', () => console.log(JSON.stringify({ msg: 'raw server ready', port: Number(port), bytes: body.length })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
