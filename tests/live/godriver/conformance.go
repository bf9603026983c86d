// The conformance mode: centrifuge-go against the scripted server of
// tests/conformance, many cases per process, with the same contract as
// tests/conformance/js_driver.mjs.
//
// Usage: godriver conformance <cases.json> <results.json>
//
// The input is {"cases": [{"id", "url", "target", "primed", "get_state"}, ...],
// "concurrency": N, "settle_timeout_ms": T}. Per case the driver makes a JSON
// client (token "ctok-0", a GetToken that hands out "ctok-1", "ctok-2", ...) with one
// subscription to "chan" (token "stok-0", its own GetToken handing out "stok-1", ...,
// and, when get_state is set, a GetState returning offset k, epoch "app-k"),
// subscribes, connects, and records every client and subscription event in order.
//
// The SDK delivers its events from a queue of its own, so the states it reports
// through State() may already be ahead of the event being handled. Each record
// therefore carries the states as the events so far have announced them: the
// client is what its last connecting/connected/disconnected event said, the
// subscription what its last subscribing/subscribed/unsubscribed event said. The
// driver's own decisions (arm, settle, restart) use the same announced states, as an
// application that follows the events would.
//
// Once connected and subscribed the driver records "armed" and sends the rpc "arm".
// The case settles once the reaction happened (for a primed case: the client left
// "connected" after the arm) and the client is disconnected, or connected with its
// subscription subscribed or unsubscribed. If it ended disconnected or unsubscribed,
// the driver records "restart" and calls Connect (Subscribe) again, outside the SDK's
// event handler; the case ends once connected and subscribed. An error event settles
// the case only when no other event followed it within errorSettle (300 ms): the SDK
// reports a failure first and acts on it after. A case that does not
// end within settle_timeout_ms ends with timed_out set. Every wait is bounded.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/centrifugal/centrifuge-go"
)

type confSpec struct {
	ID       string `json:"id"`
	URL      string `json:"url"`
	Target   string `json:"target"`
	Primed   bool   `json:"primed"`
	GetState bool   `json:"get_state"`
}

type confInput struct {
	Cases           []confSpec `json:"cases"`
	Concurrency     int        `json:"concurrency"`
	SettleTimeoutMS int        `json:"settle_timeout_ms"`
}

const (
	confMinDelay = time.Millisecond
	confMaxDelay = 10 * time.Millisecond
	// How long closing one case's client may take before the driver moves on.
	confCloseWait = 2 * time.Second
	// How long the arm rpc may wait for its reply.
	confRPCWait = 5 * time.Second
)

var confClientReactions = map[string]bool{"connecting": true, "disconnected": true, "error": true}
var confSubReactions = map[string]bool{"subscribing": true, "unsubscribed": true, "error": true}

type confCase struct {
	mu                sync.Mutex
	spec              confSpec
	events            []map[string]any
	clientState       string
	subState          string
	phase             string
	reconnectCalled   bool
	resubscribeCalled bool
	reactions         int
	leftConnected     bool
	lastWasError      bool
	graceArmed        bool
	graceDone         bool
	done              bool
	result            map[string]any
	settled           chan struct{}
	tokens            int
	subTokens         int
	states            int
	client            *centrifuge.Client
	sub               *centrifuge.Subscription
}

// record appends one event; the caller holds mu.
func (c *confCase) record(target, name string, fields map[string]any) {
	event := map[string]any{
		"seq":          len(c.events) + 1,
		"target":       target,
		"name":         name,
		"client_state": c.clientState,
		"sub_state":    c.subState,
	}
	for key, value := range fields {
		event[key] = value
	}
	c.events = append(c.events, event)
}

// recordLocked is record for callers outside the event handlers (token callbacks).
func (c *confCase) recordLocked(target, name string, fields map[string]any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.done {
		c.record(target, name, fields)
	}
}

// onEvent records an SDK event, with the state it announces, and moves the case on.
func (c *confCase) onEvent(target, name string, fields map[string]any) {
	c.mu.Lock()
	if c.done {
		c.mu.Unlock()
		return
	}
	switch {
	case target == "client" && name != "error":
		c.clientState = name
	case target == "sub" && name != "error":
		c.subState = name
	}
	c.record(target, name, fields)
	if c.phase == "event" {
		names := confClientReactions
		if target == "sub" {
			names = confSubReactions
		}
		if target == c.spec.Target && names[name] {
			c.reactions++
			c.lastWasError = name == "error"
		}
		if target == "client" && (name == "connecting" || name == "disconnected") {
			c.leftConnected = true
		}
	}
	actions := c.check()
	c.mu.Unlock()
	for _, action := range actions {
		go action()
	}
}

// check decides what comes next; the caller holds mu. It returns what to run outside
// the lock and outside the SDK's event handler.
func (c *confCase) check() []func() {
	both := c.clientState == "connected" && c.subState == "subscribed"
	switch c.phase {
	case "setup":
		if both {
			c.phase = "event"
			c.record("driver", "armed", map[string]any{})
			client := c.client
			return []func(){func() {
				ctx, cancel := context.WithTimeout(context.Background(), confRPCWait)
				defer cancel()
				_, _ = client.RPC(ctx, "arm", []byte("{}"))
			}}
		}
		return nil
	case "event":
		quiet := c.clientState == "disconnected" ||
			(c.clientState == "connected" && (c.subState == "subscribed" || c.subState == "unsubscribed"))
		reacted := c.reactions > 0
		if c.spec.Primed {
			reacted = c.leftConnected
		}
		if !reacted || !quiet {
			return nil
		}
		// The SDK reports a failure before it acts on it, and delivers both from its
		// queue: a state change may still follow an error event. The case settles on
		// an error only once errorSettle passed with no other event.
		if c.lastWasError && !c.graceDone {
			if c.graceArmed {
				return nil
			}
			c.graceArmed = true
			return []func(){func() {
				time.Sleep(errorSettle)
				c.mu.Lock()
				c.graceDone = true
				var actions []func()
				if !c.done {
					actions = c.check()
				}
				c.mu.Unlock()
				for _, action := range actions {
					go action()
				}
			}}
		}
		if both {
			c.finish(false)
			return nil
		}
		c.phase = "restart"
		c.record("driver", "restart", map[string]any{})
	}
	if both {
		c.finish(false)
		return nil
	}
	return []func(){c.restart}
}

func (c *confCase) restart() {
	c.mu.Lock()
	if c.done {
		c.mu.Unlock()
		return
	}
	switch {
	case c.clientState == "disconnected" && !c.reconnectCalled:
		c.reconnectCalled = true
		c.mu.Unlock()
		_ = c.client.Connect()
	case c.clientState == "connected" && c.subState == "unsubscribed" && !c.resubscribeCalled:
		c.resubscribeCalled = true
		c.mu.Unlock()
		_ = c.sub.Subscribe()
	default:
		c.mu.Unlock()
	}
}

// finish ends the case once, and keeps its record; the caller holds mu.
func (c *confCase) finish(timedOut bool) {
	if c.done {
		return
	}
	c.done = true
	close(c.settled)
	c.result = map[string]any{
		"id":                 c.spec.ID,
		"events":             c.events,
		"timed_out":          timedOut,
		"final_client_state": c.clientState,
		"final_sub_state":    c.subState,
	}
}

// errorFields is what an error event reports: a server error's code and message, or,
// for an error of the SDK's own, no code and the error's text.
func errorFields(err error) map[string]any {
	fields := map[string]any{"error_type": kind(err)}
	var server *centrifuge.Error
	if errors.As(err, &server) {
		fields["code"] = server.Code
		fields["reason"] = server.Message
		fields["temporary"] = server.Temporary
	} else {
		fields["code"] = nil
		fields["reason"] = err.Error()
	}
	return fields
}

func stateFields(code uint32, reason string) map[string]any {
	return map[string]any{"code": code, "reason": reason}
}

func runConformanceCase(spec confSpec, settle time.Duration) map[string]any {
	c := &confCase{
		spec:        spec,
		clientState: string(centrifuge.StateDisconnected),
		subState:    string(centrifuge.SubStateUnsubscribed),
		phase:       "setup",
		settled:     make(chan struct{}),
	}
	c.client = centrifuge.NewJsonClient(spec.URL, centrifuge.Config{
		Token: "ctok-0",
		GetToken: func(centrifuge.ConnectionTokenEvent) (string, error) {
			c.mu.Lock()
			c.tokens++
			token := fmt.Sprintf("ctok-%d", c.tokens)
			c.mu.Unlock()
			c.recordLocked("client", "get-token", map[string]any{"token": token})
			return token, nil
		},
		MinReconnectDelay: confMinDelay,
		MaxReconnectDelay: confMaxDelay,
		HandshakeTimeout:  5 * time.Second,
		ReadTimeout:       5 * time.Second,
		WriteTimeout:      5 * time.Second,
	})
	subConfig := centrifuge.SubscriptionConfig{
		Token: "stok-0",
		GetToken: func(centrifuge.SubscriptionTokenEvent) (string, error) {
			c.mu.Lock()
			c.subTokens++
			token := fmt.Sprintf("stok-%d", c.subTokens)
			c.mu.Unlock()
			c.recordLocked("sub", "get-token", map[string]any{"token": token})
			return token, nil
		},
		MinResubscribeDelay: confMinDelay,
		MaxResubscribeDelay: confMaxDelay,
	}
	if spec.GetState {
		subConfig.GetState = func(centrifuge.SubscriptionGetStateEvent) (centrifuge.StreamPosition, error) {
			c.mu.Lock()
			c.states++
			k := c.states
			c.mu.Unlock()
			epoch := fmt.Sprintf("app-%d", k)
			c.recordLocked("sub", "get-state", map[string]any{"offset": k, "epoch": epoch})
			return centrifuge.StreamPosition{Offset: uint64(k), Epoch: epoch}, nil
		}
	}
	sub, err := c.client.NewSubscription("chan", subConfig)
	if err != nil {
		return map[string]any{"id": spec.ID, "events": []any{}, "timed_out": false,
			"final_client_state": c.clientState, "final_sub_state": c.subState,
			"cleanup_error": "new subscription: " + err.Error()}
	}
	c.sub = sub

	c.client.OnConnecting(func(e centrifuge.ConnectingEvent) {
		c.onEvent("client", "connecting", stateFields(e.Code, e.Reason))
	})
	c.client.OnConnected(func(centrifuge.ConnectedEvent) { c.onEvent("client", "connected", map[string]any{}) })
	c.client.OnDisconnected(func(e centrifuge.DisconnectedEvent) {
		c.onEvent("client", "disconnected", stateFields(e.Code, e.Reason))
	})
	c.client.OnError(func(e centrifuge.ErrorEvent) { c.onEvent("client", "error", errorFields(e.Error)) })
	sub.OnSubscribing(func(e centrifuge.SubscribingEvent) {
		c.onEvent("sub", "subscribing", stateFields(e.Code, e.Reason))
	})
	sub.OnSubscribed(func(centrifuge.SubscribedEvent) { c.onEvent("sub", "subscribed", map[string]any{}) })
	sub.OnUnsubscribed(func(e centrifuge.UnsubscribedEvent) {
		c.onEvent("sub", "unsubscribed", stateFields(e.Code, e.Reason))
	})
	sub.OnError(func(e centrifuge.SubscriptionErrorEvent) { c.onEvent("sub", "error", errorFields(e.Error)) })

	var cleanup []string
	if err := sub.Subscribe(); err != nil {
		cleanup = append(cleanup, "subscribe: "+err.Error())
	}
	// A first dial that fails is returned here too; the SDK retries on its own.
	_ = c.client.Connect()

	timer := time.NewTimer(settle)
	defer timer.Stop()
	select {
	case <-c.settled:
	case <-timer.C:
	}
	c.mu.Lock()
	c.finish(true) // a no-op when the case settled
	result := c.result
	c.mu.Unlock()

	closed := make(chan struct{})
	go func() {
		c.client.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(confCloseWait):
		cleanup = append(cleanup, fmt.Sprintf("Close did not return within %s", confCloseWait))
	}
	if len(cleanup) > 0 {
		result["cleanup_error"] = strings.Join(cleanup, "; ")
	}
	return result
}

// moduleVersion is the version of a dependency as the build recorded it, without "v".
func moduleVersion(path string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	for _, dep := range info.Deps {
		if dep.Path == path {
			return strings.TrimPrefix(dep.Version, "v")
		}
	}
	return "unknown"
}

func runConformance(args []string) int {
	if len(args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: godriver conformance <cases.json> <results.json>")
		return 2
	}
	raw, err := os.ReadFile(args[0])
	if err != nil {
		fmt.Fprintf(os.Stderr, "godriver conformance: cannot read the cases: %v\n", err)
		return 2
	}
	var input confInput
	if err := json.Unmarshal(raw, &input); err != nil {
		fmt.Fprintf(os.Stderr, "godriver conformance: the cases are not the expected JSON object: %v\n", err)
		return 2
	}
	if input.SettleTimeoutMS <= 0 {
		fmt.Fprintf(os.Stderr, "godriver conformance: settle_timeout_ms must be positive, not %d\n", input.SettleTimeoutMS)
		return 2
	}
	settle := time.Duration(input.SettleTimeoutMS) * time.Millisecond
	workers := max(1, input.Concurrency)
	queue := make(chan confSpec, len(input.Cases))
	for _, spec := range input.Cases {
		queue <- spec
	}
	close(queue)
	var mu sync.Mutex
	results := make([]map[string]any, 0, len(input.Cases))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for spec := range queue {
				result := runConformanceCase(spec, settle)
				mu.Lock()
				results = append(results, result)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	output := map[string]any{
		"sdk":       "centrifuge-go",
		"version":   moduleVersion("github.com/centrifugal/centrifuge-go"),
		"websocket": "gorilla/websocket " + moduleVersion("github.com/gorilla/websocket"),
		"runtime":   runtime.Version(),
		"results":   results,
	}
	data, err := json.Marshal(output)
	if err != nil {
		fmt.Fprintf(os.Stderr, "godriver conformance: cannot encode the results: %v\n", err)
		return 1
	}
	if err := os.WriteFile(args[1], data, 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "godriver conformance: cannot write the results: %v\n", err)
		return 1
	}
	return 0
}
