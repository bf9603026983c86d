// Command godriver runs the centrifuge-go SDK against a live Centrifugo for one
// scenario of the live tests, and prints what the SDK does as JSON lines.
//
// Usage: godriver '<scenario JSON>'
//
// (or godriver conformance <cases.json> <results.json>: see conformance.go.)
//
// The scenario is {"url": "ws://127.0.0.1:PORT/connection/websocket", "token": "..."
// or "", "data": ..., "channel": "..." or null, "sub_data": ..., "target": "client" or
// "sub", "timeout": seconds}. Data values are sent as JSON, as the JSON protocol
// carries them.
//
// Every SDK event is printed as it happens:
//
//	{"event": "connecting" | "disconnected", "target": "client", "code", "reason"}
//	{"event": "connected", "target": "client", "client_id"}
//	{"event": "subscribing" | "unsubscribed", "target": "sub", "code", "reason"}
//	{"event": "subscribed", "target": "sub"}
//	{"event": "error", "target", "kind", "text", and for a server error "code",
//	 "message", "temporary"}
//
// Two more lines drive the test that runs it: {"event": "ready"} once the client is
// connected and the subscription (if any) subscribed, and {"event": "reaction",
// "target", "name", "code", "reason"} for the first connecting, disconnected,
// subscribing or unsubscribed event of the target, except a connecting or subscribing
// event with code 0 (the Connect and Subscribe calls themselves; the driver never
// calls Disconnect or Unsubscribe before the reaction, so a 0 there is the server's).
// A server error after which the target stays in connecting or subscribing (a
// temporary error: the SDK retries) is the reaction too, with the error's code and
// message, once the state has stayed put for 300 ms. After the reaction the driver disconnects and exits 0. Without a reaction
// within the timeout it prints {"event": "timeout"} and exits 1 (closing the client
// then is not a reaction); a bad scenario exits 2 with the reason on standard error.
// A first dial that fails is a "connect-returned" line, not an exit: the SDK retries.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"sync"
	"time"

	"github.com/centrifugal/centrifuge-go"
)

type scenario struct {
	URL     string          `json:"url"`
	Token   string          `json:"token"`
	Data    json.RawMessage `json:"data"`
	Channel *string         `json:"channel"`
	SubData json.RawMessage `json:"sub_data"`
	Target  string          `json:"target"`
	Timeout float64         `json:"timeout"`
}

// errorSettle is how long a state must stay put after a server error for the error to
// be the reaction.
const errorSettle = 300 * time.Millisecond

type driver struct {
	mu         sync.Mutex
	target     string
	connected  bool
	subscribed bool
	ready      bool
	done       chan struct{}
	reacted    bool
}

func (d *driver) print(record map[string]any) {
	line, err := json.Marshal(record)
	if err != nil {
		line = []byte(fmt.Sprintf(`{"event": "driver-error", "text": %q}`, err.Error()))
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	_, _ = os.Stdout.Write(append(line, '\n'))
}

func (d *driver) checkReady() {
	d.mu.Lock()
	fire := !d.ready && d.connected && d.subscribed
	if fire {
		d.ready = true
	}
	d.mu.Unlock()
	if fire {
		d.print(map[string]any{"event": "ready"})
	}
}

func (d *driver) react(target, name string, code uint32, reason string) {
	if target != d.target || (code == 0 && (name == "connecting" || name == "subscribing")) {
		return
	}
	d.mu.Lock()
	first := !d.reacted
	d.reacted = true
	d.mu.Unlock()
	if first {
		d.print(map[string]any{"event": "reaction", "target": target, "name": name, "code": code, "reason": reason})
		close(d.done)
	}
}

// state prints a state event and takes it as the reaction when it is one.
func (d *driver) state(target, name string, code uint32, reason string) {
	d.print(map[string]any{"event": name, "target": target, "code": code, "reason": reason})
	d.react(target, name, code, reason)
}

// onError prints an error event; a server error after which the target stays where it
// was is the reaction once errorSettle has passed.
func (d *driver) onError(target string, err error, still func() bool, name string) {
	record := map[string]any{"event": "error", "target": target, "kind": kind(err), "text": err.Error()}
	var server *centrifuge.Error
	if errors.As(err, &server) {
		record["code"] = server.Code
		record["message"] = server.Message
		record["temporary"] = server.Temporary
	}
	d.print(record)
	if server == nil || server.Code < 100 {
		return
	}
	code, message := server.Code, server.Message
	time.AfterFunc(errorSettle, func() {
		if still() {
			d.react(target, name, code, message)
		}
	})
}

// kind names the SDK's wrapper around an error (ConnectError, SubscriptionSubscribeError...).
func kind(err error) string {
	t := reflect.TypeOf(err)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

func fail(code int, format string, args ...any) {
	fmt.Fprintf(os.Stderr, "godriver: "+format+"\n", args...)
	os.Exit(code)
}

// jsonBytes is the data to send: nil for an absent or null value, else the JSON text.
func jsonBytes(raw json.RawMessage) []byte {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	return []byte(raw)
}

func main() {
	if len(os.Args) >= 2 && os.Args[1] == "conformance" {
		os.Exit(runConformance(os.Args[2:]))
	}
	if len(os.Args) != 2 {
		fail(2, "usage: godriver '<scenario JSON>'")
	}
	var spec scenario
	if err := json.Unmarshal([]byte(os.Args[1]), &spec); err != nil {
		fail(2, "the scenario is not the expected JSON object: %v", err)
	}
	if spec.URL == "" {
		fail(2, "the scenario has no url")
	}
	if spec.Target != "client" && spec.Target != "sub" {
		fail(2, "target must be \"client\" or \"sub\", not %q", spec.Target)
	}
	if spec.Target == "sub" && spec.Channel == nil {
		fail(2, "target \"sub\" needs a channel")
	}
	timeout := 30 * time.Second
	if spec.Timeout > 0 {
		timeout = time.Duration(spec.Timeout * float64(time.Second))
	}

	d := &driver{target: spec.Target, subscribed: spec.Channel == nil, done: make(chan struct{})}
	client := centrifuge.NewJsonClient(spec.URL, centrifuge.Config{
		Token:              spec.Token,
		Data:               jsonBytes(spec.Data),
		MinReconnectDelay:  500 * time.Millisecond,
		MaxReconnectDelay:  time.Second,
		HandshakeTimeout:   5 * time.Second,
		ReadTimeout:        5 * time.Second,
		WriteTimeout:       5 * time.Second,
		MaxServerPingDelay: 10 * time.Second,
	})
	client.OnConnecting(func(e centrifuge.ConnectingEvent) { d.state("client", "connecting", e.Code, e.Reason) })
	client.OnDisconnected(func(e centrifuge.DisconnectedEvent) { d.state("client", "disconnected", e.Code, e.Reason) })
	client.OnConnected(func(e centrifuge.ConnectedEvent) {
		d.print(map[string]any{"event": "connected", "target": "client", "client_id": e.ClientID})
		d.mu.Lock()
		d.connected = true
		d.mu.Unlock()
		d.checkReady()
	})
	client.OnError(func(e centrifuge.ErrorEvent) {
		d.onError("client", e.Error, func() bool { return client.State() == centrifuge.StateConnecting }, "connecting")
	})

	if spec.Channel != nil {
		sub, err := client.NewSubscription(*spec.Channel, centrifuge.SubscriptionConfig{
			Data:                jsonBytes(spec.SubData),
			MinResubscribeDelay: 500 * time.Millisecond,
			MaxResubscribeDelay: time.Second,
		})
		if err != nil {
			fail(2, "new subscription to %q: %v", *spec.Channel, err)
		}
		sub.OnSubscribing(func(e centrifuge.SubscribingEvent) { d.state("sub", "subscribing", e.Code, e.Reason) })
		sub.OnUnsubscribed(func(e centrifuge.UnsubscribedEvent) { d.state("sub", "unsubscribed", e.Code, e.Reason) })
		sub.OnSubscribed(func(centrifuge.SubscribedEvent) {
			d.print(map[string]any{"event": "subscribed", "target": "sub"})
			d.mu.Lock()
			d.subscribed = true
			d.mu.Unlock()
			d.checkReady()
		})
		sub.OnError(func(e centrifuge.SubscriptionErrorEvent) {
			d.onError("sub", e.Error, func() bool { return sub.State() == centrifuge.SubStateSubscribing }, "subscribing")
		})
		if err := sub.Subscribe(); err != nil {
			fail(2, "subscribe to %q: %v", *spec.Channel, err)
		}
	}
	// A first dial that fails is returned here as well as reported as an error event;
	// the SDK goes on reconnecting, so the driver goes on waiting.
	if err := client.Connect(); err != nil {
		d.print(map[string]any{"event": "connect-returned", "text": err.Error()})
	}

	status := 0
	select {
	case <-d.done:
	case <-time.After(timeout):
		d.print(map[string]any{"event": "timeout", "seconds": timeout.Seconds()})
		status = 1
	}
	// No reaction from here on: closing the client emits events of its own. Closing is
	// bounded too: the process exits whether or not the SDK finishes.
	d.mu.Lock()
	d.reacted = true
	d.mu.Unlock()
	closed := make(chan struct{})
	go func() {
		client.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(2 * time.Second):
	}
	os.Exit(status)
}
