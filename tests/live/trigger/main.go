// Command trigger is a small real-time server built on the centrifuge library, at the
// version that Centrifugo v6.9.1 requires (see ../go.mod). The live tests use it to make
// the library send what Centrifugo's own features never send: any reply error, with any
// temporary flag, on every command (refresh and sub_refresh included), unsubscribe 2502
// and custom unsubscribe codes, and custom disconnects, also as pushes over http_stream.
//
// Usage:
//
//	trigger -addr 127.0.0.1:0
//
// It listens on addr and, once ready, prints one JSON line on stdout:
// {"addr":"127.0.0.1:PORT"}. Endpoints: /connection/websocket, /connection/http_stream,
// /connection/sse and /emulation (the library's own handlers). SIGTERM or SIGINT shuts
// the node down and exits 0.
//
// # The contract
//
// Each connection is scripted by the data of its connect command, a JSON object
// (absent data means an empty script: every command succeeds):
//
//	{
//	  "user": "u",                    // the user ID; default "trigger-user"
//	  "connect": OUTCOME,             // the answer to connect
//	  "expire_in": N,                 // the connection expires N seconds after connect
//	  "refresh": OUTCOME,             // the answer to a refresh command
//	  "refresh_expired": true,        // a refresh says the connection expired instead
//	  "refresh_expire_in": N,         // a refresh extends to N seconds from now; N < 0
//	                                  // is in the past, and the library answers 110
//	  "after_connect": {"delay_ms": N, "disconnect": DISCONNECT},
//	  "commands": {                   // answers to the other commands, by command name:
//	    "subscribe": OUTCOME, "sub_refresh": OUTCOME, "publish": OUTCOME, "rpc": OUTCOME,
//	    "history": OUTCOME, "presence": OUTCOME, "presence_stats": OUTCOME
//	  }
//	}
//
// A subscription can carry its own script in the data of its subscribe command; it
// takes precedence over "commands" for that channel:
//
//	{
//	  "subscribe": OUTCOME,           // the answer to this subscribe
//	  "expire_in": N,                 // the subscription expires N seconds after subscribe
//	  "sub_refresh": OUTCOME,         // the answer to a sub_refresh for this channel
//	  "refresh_expire_in": N,         // as for the connection, for sub_refresh
//	  "tags_filter_change": true,     // for a map subscription (subscribe "type": 1): the
//	                                  // next sub_refresh changes the server tags filter,
//	                                  // so that the library itself unsubscribes with 2502
//	  "positioned": true,             // the subscription tracks its stream position
//	  "after_subscribe": {"delay_ms": N, "unsubscribe": UNSUBSCRIBE, "disconnect": DISCONNECT,
//	                      "gap": true} // gap: the node gets a publication whose offset skips
//	                                  // one, as from a broker that lost a message; the
//	                                  // library finds the hole in a positioned
//	                                  // subscription and unsubscribes with 2500
//	}
//
// The shapes:
//
//	OUTCOME     = {"error": ERROR} or {"disconnect": DISCONNECT}; absent: success
//	ERROR       = {"code": N, "message": "..", "temporary": bool}, or {"builtin": N} for
//	              the library's own error value with code N (100-113)
//	DISCONNECT  = {"code": N, "reason": ".."}, or {"builtin": N} for the library's own
//	              disconnect value with code N (3001-3509)
//	UNSUBSCRIBE = {"code": N, "reason": ".."}, or {"builtin": 2000} for the library's
//	              default server unsubscribe
//
// Every value is handed to the library unchanged: no range is checked, so a test can
// send codes outside the documented bands and see what the library does with them. A
// script that does not parse, has a key not listed here or names an unknown builtin
// closes the connection with 3501 and a reason that starts with "trigger:", so that a
// broken test fails loudly.
// Successful commands get the library's defaults: publish goes to the memory broker,
// history and presence read it, rpc answers {}, refresh and sub_refresh extend by
// expire_in (or an hour). Scripts live as long as their connection; channels share
// the node's memory brokers, so each test uses channels of its own.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/centrifugal/centrifuge"
)

// errorScript is ERROR in the contract.
type errorScript struct {
	Code      uint32 `json:"code"`
	Message   string `json:"message"`
	Temporary bool   `json:"temporary"`
	Builtin   uint32 `json:"builtin"`
}

// codeScript is DISCONNECT and UNSUBSCRIBE in the contract.
type codeScript struct {
	Code    uint32 `json:"code"`
	Reason  string `json:"reason"`
	Builtin uint32 `json:"builtin"`
}

// outcome is OUTCOME in the contract.
type outcome struct {
	Error      *errorScript `json:"error"`
	Disconnect *codeScript  `json:"disconnect"`
}

type afterConnect struct {
	DelayMS    int         `json:"delay_ms"`
	Disconnect *codeScript `json:"disconnect"`
}

type afterSubscribe struct {
	DelayMS     int         `json:"delay_ms"`
	Unsubscribe *codeScript `json:"unsubscribe"`
	Disconnect  *codeScript `json:"disconnect"`
	Gap         bool        `json:"gap"`
}

type connScript struct {
	User            string              `json:"user"`
	Connect         *outcome            `json:"connect"`
	ExpireIn        int64               `json:"expire_in"`
	Refresh         *outcome            `json:"refresh"`
	RefreshExpired  bool                `json:"refresh_expired"`
	RefreshExpireIn *int64              `json:"refresh_expire_in"`
	AfterConnect    *afterConnect       `json:"after_connect"`
	Commands        map[string]*outcome `json:"commands"`
}

type subScript struct {
	Subscribe        *outcome        `json:"subscribe"`
	ExpireIn         int64           `json:"expire_in"`
	SubRefresh       *outcome        `json:"sub_refresh"`
	RefreshExpireIn  *int64          `json:"refresh_expire_in"`
	TagsFilterChange bool            `json:"tags_filter_change"`
	Positioned       bool            `json:"positioned"`
	AfterSubscribe   *afterSubscribe `json:"after_subscribe"`
}

var commandNames = map[string]bool{
	"subscribe": true, "sub_refresh": true, "publish": true, "rpc": true,
	"history": true, "presence": true, "presence_stats": true,
}

// The library's own values, for {"builtin": N}.
var builtinErrors = map[uint32]*centrifuge.Error{}
var builtinDisconnects = map[uint32]centrifuge.Disconnect{}

func init() {
	for _, e := range []*centrifuge.Error{
		centrifuge.ErrorInternal, centrifuge.ErrorUnauthorized, centrifuge.ErrorUnknownChannel,
		centrifuge.ErrorPermissionDenied, centrifuge.ErrorMethodNotFound, centrifuge.ErrorAlreadySubscribed,
		centrifuge.ErrorLimitExceeded, centrifuge.ErrorBadRequest, centrifuge.ErrorNotAvailable,
		centrifuge.ErrorTokenExpired, centrifuge.ErrorExpired, centrifuge.ErrorTooManyRequests,
		centrifuge.ErrorUnrecoverablePosition, centrifuge.ErrorConcurrentPagination,
	} {
		builtinErrors[e.Code] = e
	}
	for _, d := range []centrifuge.Disconnect{
		centrifuge.DisconnectShutdown, centrifuge.DisconnectServerError, centrifuge.DisconnectExpired,
		centrifuge.DisconnectSubExpired, centrifuge.DisconnectSlow, centrifuge.DisconnectWriteError,
		centrifuge.DisconnectInsufficientState, centrifuge.DisconnectForceReconnect, centrifuge.DisconnectNoPong,
		centrifuge.DisconnectTooManyRequests, centrifuge.DisconnectStateInvalidated,
		centrifuge.DisconnectInvalidToken, centrifuge.DisconnectBadRequest, centrifuge.DisconnectStale,
		centrifuge.DisconnectForceNoReconnect, centrifuge.DisconnectConnectionLimit,
		centrifuge.DisconnectChannelLimit, centrifuge.DisconnectInappropriateProtocol,
		centrifuge.DisconnectPermissionDenied, centrifuge.DisconnectNotAvailable,
		centrifuge.DisconnectTooManyErrors,
	} {
		builtinDisconnects[d.Code] = d
	}
}

// badScript is the disconnect for a script the trigger cannot follow.
func badScript(format string, args ...any) centrifuge.Disconnect {
	reason := "trigger: " + fmt.Sprintf(format, args...)
	if len(reason) > 120 { // a WebSocket close frame holds at most 123 bytes of reason
		reason = reason[:120]
	}
	return centrifuge.Disconnect{Code: centrifuge.DisconnectBadRequest.Code, Reason: reason}
}

func (s *codeScript) disconnect() (centrifuge.Disconnect, error) {
	if s.Builtin != 0 {
		d, ok := builtinDisconnects[s.Builtin]
		if !ok {
			return centrifuge.Disconnect{}, fmt.Errorf("no builtin disconnect %d", s.Builtin)
		}
		return d, nil
	}
	return centrifuge.Disconnect{Code: s.Code, Reason: s.Reason}, nil
}

// err gives the error a handler returns for the outcome, nil for success.
func (o *outcome) err() (error, error) {
	if o == nil {
		return nil, nil
	}
	if o.Disconnect != nil {
		d, err := o.Disconnect.disconnect()
		if err != nil {
			return nil, err
		}
		return d, nil
	}
	if o.Error != nil {
		if o.Error.Builtin != 0 {
			e, ok := builtinErrors[o.Error.Builtin]
			if !ok {
				return nil, fmt.Errorf("no builtin error %d", o.Error.Builtin)
			}
			return e, nil
		}
		return &centrifuge.Error{Code: o.Error.Code, Message: o.Error.Message, Temporary: o.Error.Temporary}, nil
	}
	return nil, nil
}

// check reports the first part of the outcome that names an unknown builtin.
func (o *outcome) check() error {
	_, err := o.err()
	return err
}

// strictUnmarshal decodes a script, refusing keys the contract does not have, so that
// a misspelt key fails the test instead of being ignored.
func strictUnmarshal(data []byte, script any) error {
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.DisallowUnknownFields()
	return decoder.Decode(script)
}

func parseConn(data []byte) (*connScript, error) {
	script := &connScript{}
	if len(data) > 0 {
		if err := strictUnmarshal(data, script); err != nil {
			return nil, fmt.Errorf("connect data: %v", err)
		}
	}
	if script.User == "" {
		script.User = "trigger-user"
	}
	for _, o := range []*outcome{script.Connect, script.Refresh} {
		if err := o.check(); err != nil {
			return nil, err
		}
	}
	for name, o := range script.Commands {
		if !commandNames[name] {
			return nil, fmt.Errorf("unknown command %q", name)
		}
		if err := o.check(); err != nil {
			return nil, err
		}
	}
	if a := script.AfterConnect; a != nil && a.Disconnect != nil {
		if _, err := a.Disconnect.disconnect(); err != nil {
			return nil, err
		}
	}
	return script, nil
}

func parseSub(data []byte) (*subScript, error) {
	script := &subScript{}
	if len(data) == 0 {
		return script, nil
	}
	if err := strictUnmarshal(data, script); err != nil {
		return nil, fmt.Errorf("subscribe data: %v", err)
	}
	for _, o := range []*outcome{script.Subscribe, script.SubRefresh} {
		if err := o.check(); err != nil {
			return nil, err
		}
	}
	if a := script.AfterSubscribe; a != nil {
		if a.Disconnect != nil {
			if _, err := a.Disconnect.disconnect(); err != nil {
				return nil, err
			}
		}
		if a.Unsubscribe != nil && a.Unsubscribe.Builtin != 0 && a.Unsubscribe.Builtin != centrifuge.UnsubscribeCodeServer {
			return nil, fmt.Errorf("no builtin unsubscribe %d (only 2000, the library's default)", a.Unsubscribe.Builtin)
		}
	}
	return script, nil
}

// expiry is the expiry time that a refresh answers with: override seconds from now
// when the script sets it, else expireIn seconds (an hour when that is 0).
func expiry(override *int64, expireIn int64) int64 {
	seconds := expireIn
	if override != nil {
		seconds = *override
	} else if seconds == 0 {
		seconds = 3600
	}
	return time.Now().Unix() + seconds
}

// The server tags filters of a map subscription before and after a sub_refresh that
// changes them.
var (
	filterBefore = &centrifuge.FilterNode{Key: "role", Cmp: "eq", Val: "admin"}
	filterAfter  = &centrifuge.FilterNode{Key: "role", Cmp: "eq", Val: "viewer"}
)

// connection holds one client's scripts.
type connection struct {
	node   *centrifuge.Node
	client *centrifuge.Client
	script *connScript
	mu     sync.Mutex
	subs   map[string]*subScript // by channel
}

func (c *connection) sub(channel string) *subScript {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.subs[channel]
}

func (c *connection) setSub(channel string, script *subScript) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if script == nil {
		delete(c.subs, channel)
	} else {
		c.subs[channel] = script
	}
}

// command gives the answer to a command that the subscription's own script does not
// set, from the connection's "commands".
func (c *connection) command(name string) error {
	err, _ := c.script.Commands[name].err() // checked at connect
	return err
}

func (c *connection) onSubscribe(e centrifuge.SubscribeEvent, cb centrifuge.SubscribeCallback) {
	script, err := parseSub(e.Data)
	if err != nil {
		cb(centrifuge.SubscribeReply{}, badScript("%v", err))
		return
	}
	answer := c.command("subscribe")
	if script.Subscribe != nil {
		answer, _ = script.Subscribe.err()
	}
	if answer != nil {
		cb(centrifuge.SubscribeReply{}, answer)
		return
	}
	c.setSub(e.Channel, script)
	reply := centrifuge.SubscribeReply{ClientSideRefresh: true}
	if script.ExpireIn != 0 {
		reply.Options.ExpireAt = time.Now().Unix() + script.ExpireIn
	}
	reply.Options.EnablePositioning = script.Positioned
	if e.Type == centrifuge.SubscriptionTypeMap {
		reply.Options.Type = centrifuge.SubscriptionTypeMap
		if script.TagsFilterChange {
			reply.Options.ServerTagsFilter = filterBefore
		}
	}
	if a := script.AfterSubscribe; a != nil {
		ready := make(chan struct{})
		reply.SubscriptionReady = ready
		go c.afterSubscribe(e.Channel, a, ready)
	}
	cb(reply, nil)
}

func (c *connection) afterSubscribe(channel string, a *afterSubscribe, ready <-chan struct{}) {
	select {
	case <-ready:
	case <-c.client.Context().Done():
		return
	case <-time.After(30 * time.Second):
		return
	}
	time.Sleep(time.Duration(a.DelayMS) * time.Millisecond)
	if u := a.Unsubscribe; u != nil {
		if u.Builtin != 0 {
			c.client.Unsubscribe(channel) // the library's default: 2000, checked at subscribe
		} else {
			c.client.Unsubscribe(channel, centrifuge.Unsubscribe{Code: u.Code, Reason: u.Reason})
		}
	}
	if a.Gap {
		c.gap(channel)
	}
	if a.Disconnect != nil {
		d, _ := a.Disconnect.disconnect() // checked at subscribe
		c.client.Disconnect(d)
	}
}

// gap hands the node a publication for channel whose offset skips one past the
// stream's top, with the stream's epoch: what a subscriber sees when its broker lost
// a message.
func (c *connection) gap(channel string) {
	node := c.node
	result, err := node.History(channel)
	if err != nil {
		c.client.Disconnect(badScript("history for a gap: %v", err))
		return
	}
	position := centrifuge.StreamPosition{Offset: result.Offset + 2, Epoch: result.Epoch}
	publication := &centrifuge.Publication{
		Offset: position.Offset, Epoch: position.Epoch, Data: []byte("{}"), Time: time.Now().UnixMilli(),
	}
	if err := node.HandlePublication(channel, publication, position, false, nil); err != nil {
		c.client.Disconnect(badScript("publication with a gap: %v", err))
	}
}

func (c *connection) onSubRefresh(e centrifuge.SubRefreshEvent, cb centrifuge.SubRefreshCallback) {
	script := c.sub(e.Channel)
	answer := c.command("sub_refresh")
	if script != nil && script.SubRefresh != nil {
		answer, _ = script.SubRefresh.err()
	}
	if answer != nil {
		cb(centrifuge.SubRefreshReply{}, answer)
		return
	}
	reply := centrifuge.SubRefreshReply{ExpireAt: expiry(nil, 0)}
	if script != nil {
		reply.ExpireAt = expiry(script.RefreshExpireIn, script.ExpireIn)
		if script.TagsFilterChange {
			reply.ServerTagsFilter = filterAfter
		}
	}
	cb(reply, nil)
}

func (c *connection) onRefresh(_ centrifuge.RefreshEvent, cb centrifuge.RefreshCallback) {
	if answer, _ := c.script.Refresh.err(); answer != nil {
		cb(centrifuge.RefreshReply{}, answer)
		return
	}
	if c.script.RefreshExpired {
		cb(centrifuge.RefreshReply{Expired: true}, nil)
		return
	}
	cb(centrifuge.RefreshReply{ExpireAt: expiry(c.script.RefreshExpireIn, c.script.ExpireIn)}, nil)
}

func (c *connection) attach() {
	client := c.client
	client.OnSubscribe(c.onSubscribe)
	client.OnSubRefresh(c.onSubRefresh)
	client.OnRefresh(c.onRefresh)
	client.OnUnsubscribe(func(e centrifuge.UnsubscribeEvent) { c.setSub(e.Channel, nil) })
	client.OnPublish(func(_ centrifuge.PublishEvent, cb centrifuge.PublishCallback) {
		cb(centrifuge.PublishReply{}, c.command("publish"))
	})
	client.OnRPC(func(_ centrifuge.RPCEvent, cb centrifuge.RPCCallback) {
		if err := c.command("rpc"); err != nil {
			cb(centrifuge.RPCReply{}, err)
			return
		}
		cb(centrifuge.RPCReply{Data: []byte("{}")}, nil)
	})
	client.OnHistory(func(_ centrifuge.HistoryEvent, cb centrifuge.HistoryCallback) {
		cb(centrifuge.HistoryReply{}, c.command("history"))
	})
	client.OnPresence(func(_ centrifuge.PresenceEvent, cb centrifuge.PresenceCallback) {
		cb(centrifuge.PresenceReply{}, c.command("presence"))
	})
	client.OnPresenceStats(func(_ centrifuge.PresenceStatsEvent, cb centrifuge.PresenceStatsCallback) {
		cb(centrifuge.PresenceStatsReply{}, c.command("presence_stats"))
	})
	if a := c.script.AfterConnect; a != nil && a.Disconnect != nil {
		d, _ := a.Disconnect.disconnect() // checked at connect
		go func() {
			select {
			case <-time.After(time.Duration(a.DelayMS) * time.Millisecond):
				client.Disconnect(d)
			case <-client.Context().Done():
			}
		}()
	}
}

// scriptKey carries a connection's script from OnConnecting to OnConnect.
type scriptKey struct{}

func newNode() (*centrifuge.Node, error) {
	node, err := centrifuge.New(centrifuge.Config{
		Name:     "trigger",
		LogLevel: centrifuge.LogLevelError,
		LogHandler: func(entry centrifuge.LogEntry) {
			fmt.Fprintf(os.Stderr, "trigger: %s %v\n", entry.Message, entry.Fields)
		},
		// Short timers: an expired subscription is found within about a second.
		ClientPresenceUpdateInterval: 250 * time.Millisecond,
		ClientExpiredCloseDelay:      time.Millisecond,
		ClientExpiredSubCloseDelay:   time.Millisecond,
		ClientStaleCloseDelay:        5 * time.Second,
		Map: centrifuge.MapConfig{
			GetMapChannelOptions: func(string) centrifuge.MapChannelOptions {
				return centrifuge.MapChannelOptions{Mode: centrifuge.MapModeRecoverable, KeyTTL: time.Minute, MinPageSize: 1}
			},
		},
	})
	if err != nil {
		return nil, err
	}
	mapBroker, err := centrifuge.NewMemoryMapBroker(node, centrifuge.MemoryMapBrokerConfig{})
	if err != nil {
		return nil, err
	}
	node.SetMapBroker(mapBroker)

	node.OnConnecting(func(ctx context.Context, e centrifuge.ConnectEvent) (centrifuge.ConnectReply, error) {
		script, err := parseConn(e.Data)
		if err != nil {
			return centrifuge.ConnectReply{}, badScript("%v", err)
		}
		if answer, _ := script.Connect.err(); answer != nil {
			return centrifuge.ConnectReply{}, answer
		}
		credentials := &centrifuge.Credentials{UserID: script.User}
		if script.ExpireIn != 0 {
			credentials.ExpireAt = time.Now().Unix() + script.ExpireIn
		}
		return centrifuge.ConnectReply{
			Context:           context.WithValue(ctx, scriptKey{}, script),
			Credentials:       credentials,
			ClientSideRefresh: true,
		}, nil
	})
	node.OnConnect(func(client *centrifuge.Client) {
		script, ok := client.Context().Value(scriptKey{}).(*connScript)
		if !ok {
			client.Disconnect(badScript("no script for the connection"))
			return
		}
		(&connection{node: node, client: client, script: script, subs: map[string]*subScript{}}).attach()
	})
	return node, nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "the address to listen on")
	flag.Parse()

	node, err := newNode()
	if err != nil {
		fmt.Fprintf(os.Stderr, "trigger: %v\n", err)
		os.Exit(1)
	}
	if err := node.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "trigger: %v\n", err)
		os.Exit(1)
	}

	mux := http.NewServeMux()
	mux.Handle("/connection/websocket", centrifuge.NewWebsocketHandler(node, centrifuge.WebsocketConfig{}))
	mux.Handle("/connection/http_stream", centrifuge.NewHTTPStreamHandler(node, centrifuge.HTTPStreamConfig{}))
	mux.Handle("/connection/sse", centrifuge.NewSSEHandler(node, centrifuge.SSEConfig{}))
	mux.Handle("/emulation", centrifuge.NewEmulationHandler(node, centrifuge.EmulationConfig{}))

	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "trigger: %v\n", err)
		os.Exit(1)
	}
	server := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()

	ready, _ := json.Marshal(map[string]string{"addr": listener.Addr().String()})
	fmt.Println(string(ready))

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	select {
	case <-stop:
	case err := <-served:
		if !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(os.Stderr, "trigger: %v\n", err)
			os.Exit(1)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = server.Shutdown(ctx)
	_ = node.Shutdown(ctx)
}
