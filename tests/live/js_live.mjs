// Runs centrifuge-js against a live Centrifugo for one scenario, and prints what the
// SDK does as JSON lines on standard output.
//
// Usage: node js_live.mjs '<scenario JSON>'
//
// The scenario is {"base": "http://127.0.0.1:PORT", "transport": "websocket" or
// "http_stream", "token": "..." or "", "data": ..., "channel": "..." or null,
// "sub_data": ..., "target": "client" or "sub"}. The driver subscribes (when there
// is a channel) and connects, prints {"event": "ready"} once connected and
// subscribed, and then the first connecting, disconnected, subscribing or
// unsubscribed event of the target as {"event": "reaction", "target", "name",
// "code", "reason"}; then it disconnects and exits. Events of the connect() and
// subscribe() calls themselves (code 0) are not reactions. The test that runs it
// bounds the whole run.

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(new URL('../conformance/package.json', import.meta.url));
const { Centrifuge } = await import(pathToFileURL(require.resolve('centrifuge')).href);
const WebSocket = (await import(pathToFileURL(require.resolve('ws')).href)).default;

const spec = JSON.parse(process.argv[2]);
const print = (record) => process.stdout.write(`${JSON.stringify(record)}\n`);

const endpoints = spec.transport === 'websocket'
  ? `${spec.base.replace('http', 'ws')}/connection/websocket`
  : [{ transport: 'http_stream', endpoint: `${spec.base}/connection/http_stream` }];
const options = {
  websocket: WebSocket,
  minReconnectDelay: 500,
  maxReconnectDelay: 1000,
  emulationEndpoint: `${spec.base}/emulation`,
};
if (spec.token) options.token = spec.token;
if (spec.data !== null && spec.data !== undefined) options.data = spec.data;

const client = new Centrifuge(endpoints, options);
let connected = false;
let subscribed = spec.channel === null;
let ready = false;
let done = false;

function checkReady() {
  if (!ready && connected && subscribed) {
    ready = true;
    print({ event: 'ready' });
  }
}

function react(target, name, ctx) {
  if (done || target !== spec.target || ctx.code === 0) return;
  done = true;
  const reason = typeof ctx.reason === 'string' ? ctx.reason : null;
  print({ event: 'reaction', target, name, code: ctx.code, reason, reason_repr: String(ctx.reason) });
  setTimeout(() => { client.disconnect(); process.exit(0); }, 10);
}

// A server error that leaves the state as it was (a temporary error: the SDK retries)
// shows only as an error event; it is the reaction once the state has stayed put for
// a moment.
function staysOnError(target, ctx, still, name) {
  const error = ctx.error || {};
  if (typeof error.code !== 'number' || error.code < 100 || typeof error.message !== 'string') return;
  setTimeout(() => {
    if (still()) react(target, name, { code: error.code, reason: error.message });
  }, 300);
}

client.on('connected', () => { connected = true; checkReady(); });
client.on('connecting', (ctx) => react('client', 'connecting', ctx));
client.on('disconnected', (ctx) => react('client', 'disconnected', ctx));
client.on('error', (ctx) => staysOnError('client', ctx, () => client.state === 'connecting', 'connecting'));

if (spec.channel !== null) {
  const subOptions = {};
  if (spec.sub_data !== null && spec.sub_data !== undefined) subOptions.data = spec.sub_data;
  const sub = client.newSubscription(spec.channel, subOptions);
  sub.on('subscribed', () => { subscribed = true; checkReady(); });
  sub.on('subscribing', (ctx) => react('sub', 'subscribing', ctx));
  sub.on('unsubscribed', (ctx) => react('sub', 'unsubscribed', ctx));
  sub.on('error', (ctx) => staysOnError('sub', ctx, () => sub.state === 'subscribing', 'subscribing'));
  sub.subscribe();
}
client.connect();
