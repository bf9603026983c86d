// Runs centrifuge-js against the scripted server, many cases per process.
//
// Usage: node js_driver.mjs <cases.json> <results.json>
//
// The input is {"cases": [{"id", "url", "target", "primed", "get_state"}, ...],
// "concurrency": N, "settle_timeout_ms": T}. For each case the driver makes a client
// (token "ctok-0", a getToken callback that hands out "ctok-1", "ctok-2", ...) with
// one subscription to "chan" (token "stok-0", getToken handing out "stok-1", ...,
// and, when get_state is set, a getState callback returning offset k, epoch "app-k"),
// subscribes, connects, and records every client and subscription event in order,
// with both states as they were when the event fired. Once the client is connected
// and the subscription subscribed, the driver records an "armed" marker and sends an
// rpc "arm": the server plays the scripted event after it.
//
// The case then settles once the reaction happened (for a primed case: the client
// left "connected" after the arm) and the client is disconnected, or connected with
// its subscription subscribed or unsubscribed. If it ended there disconnected or
// unsubscribed, the driver records a "restart" marker and does what an application
// would: connect() (subscribe()) again, on the next turn of the event loop, and the
// case ends once connected and subscribed. That next attempt shows whether the SDK
// kept or dropped its token and stream position. A case that does not end within
// settle_timeout_ms ends with timed_out set. Nothing here waits for a fixed time.

import { readFileSync, writeFileSync } from 'node:fs';
import { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';

const CLIENT_REACTIONS = new Set(['connecting', 'disconnected', 'error']);
const SUB_REACTIONS = new Set(['subscribing', 'unsubscribed', 'error']);

function packageVersion(name) {
  const url = new URL(`./node_modules/${name}/package.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')).version;
}

// A reported text as recorded: strings as they are; anything else (undefined, a
// number) as null, with its JavaScript rendering kept beside it.
function text(value) {
  return typeof value === 'string' ? { reason: value } : { reason: null, reason_repr: String(value) };
}

function runCase(spec, settleTimeoutMs) {
  return new Promise((resolve) => {
    const events = [];
    let tokens = 0;
    let subTokens = 0;
    let states = 0;
    let phase = 'setup';
    let done = false;
    let reconnectCalled = false;
    let resubscribeCalled = false;
    let reactions = 0;
    let leftConnected = false;
    let sub = null;

    const client = new Centrifuge(spec.url, {
      websocket: WebSocket,
      token: 'ctok-0',
      getToken: async () => {
        tokens += 1;
        const token = `ctok-${tokens}`;
        record('client', 'get-token', { token });
        return token;
      },
      minReconnectDelay: 1,
      maxReconnectDelay: 10,
    });

    function record(target, name, fields) {
      events.push({
        seq: events.length + 1,
        target,
        name,
        client_state: client.state,
        sub_state: sub === null ? null : sub.state,
        ...fields,
      });
    }

    function finish(timedOut) {
      if (done) {
        return;
      }
      done = true;
      clearTimeout(timer);
      const result = {
        id: spec.id,
        events,
        timed_out: timedOut,
        final_client_state: client.state,
        final_sub_state: sub.state,
      };
      try {
        client.disconnect();
      } catch (e) {
        result.cleanup_error = String(e);
      }
      resolve(result);
    }

    function restart() {
      if (done) {
        return;
      }
      if (client.state === 'disconnected' && !reconnectCalled) {
        reconnectCalled = true;
        client.connect();
      } else if (client.state === 'connected' && sub.state === 'unsubscribed' && !resubscribeCalled) {
        resubscribeCalled = true;
        sub.subscribe();
      }
    }

    function check() {
      if (done) {
        return;
      }
      if (phase === 'setup') {
        if (client.state === 'connected' && sub.state === 'subscribed') {
          phase = 'event';
          record('driver', 'armed', {});
          client.rpc('arm', {}).catch(() => {});
        }
        return;
      }
      if (phase === 'event') {
        const quiet = client.state === 'disconnected'
          || (client.state === 'connected' && (sub.state === 'subscribed' || sub.state === 'unsubscribed'));
        const reacted = spec.primed ? leftConnected : reactions > 0;
        if (!reacted || !quiet) {
          return;
        }
        if (client.state === 'connected' && sub.state === 'subscribed') {
          finish(false);
          return;
        }
        phase = 'restart';
        record('driver', 'restart', {});
      }
      if (client.state === 'connected' && sub.state === 'subscribed') {
        finish(false);
        return;
      }
      // Not from inside the SDK's own event dispatch: on the next turn of the loop.
      setImmediate(restart);
    }

    function onEvent(target, name, fields) {
      if (done) {
        return;
      }
      record(target, name, fields);
      if (phase === 'event') {
        const names = target === 'client' ? CLIENT_REACTIONS : SUB_REACTIONS;
        if (target === spec.target && names.has(name)) {
          reactions += 1;
        }
        if (target === 'client' && (name === 'connecting' || name === 'disconnected')) {
          leftConnected = true;
        }
      }
      check();
    }

    const subOptions = {
      token: 'stok-0',
      getToken: async () => {
        subTokens += 1;
        const token = `stok-${subTokens}`;
        record('sub', 'get-token', { token });
        return token;
      },
      minResubscribeDelay: 1,
      maxResubscribeDelay: 10,
    };
    if (spec.get_state) {
      subOptions.getState = async () => {
        states += 1;
        record('sub', 'get-state', { offset: states, epoch: `app-${states}` });
        return { offset: states, epoch: `app-${states}` };
      };
    }
    sub = client.newSubscription('chan', subOptions);

    for (const name of ['connecting', 'disconnected']) {
      client.on(name, (ctx) => onEvent('client', name, { code: ctx.code ?? null, ...text(ctx.reason) }));
    }
    client.on('connected', () => onEvent('client', 'connected', {}));
    client.on('error', (ctx) => onEvent('client', 'error', {
      code: ctx.error?.code ?? null,
      ...text(ctx.error?.message),
      error_type: ctx.type ?? null,
    }));
    for (const name of ['subscribing', 'unsubscribed']) {
      sub.on(name, (ctx) => onEvent('sub', name, { code: ctx.code ?? null, ...text(ctx.reason) }));
    }
    sub.on('subscribed', () => onEvent('sub', 'subscribed', {}));
    sub.on('error', (ctx) => onEvent('sub', 'error', {
      code: ctx.error?.code ?? null,
      ...text(ctx.error?.message),
      error_type: ctx.type ?? null,
    }));

    const timer = setTimeout(() => finish(true), settleTimeoutMs);
    sub.subscribe();
    client.connect();
  });
}

async function main() {
  const [inPath, outPath] = process.argv.slice(2);
  const input = JSON.parse(readFileSync(inPath, 'utf8'));
  const queue = [...input.cases];
  const results = [];
  async function worker() {
    while (queue.length > 0) {
      const spec = queue.shift();
      results.push(await runCase(spec, input.settle_timeout_ms));
    }
  }
  const workers = [];
  for (let i = 0; i < Math.max(1, input.concurrency); i += 1) {
    workers.push(worker());
  }
  await Promise.all(workers);
  const output = {
    sdk: 'centrifuge-js',
    version: packageVersion('centrifuge'),
    websocket: `ws ${packageVersion('ws')}`,
    runtime: `node ${process.version}`,
    results,
  };
  writeFileSync(outPath, JSON.stringify(output));
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`js driver failed: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
